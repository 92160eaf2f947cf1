package io.haupgrade.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    record Entry(String step, Instant at, Duration took) {
    }

    @Test
    void recordsSurviveReopeningAndATornLastLineFromAKilledWriterIsIgnored() throws Exception {
        Path file = dir.resolve("j/journal.jsonl");
        try (Journal<Entry> j = Journal.open(file, Entry.class)) {
            j.append(new Entry("a", Instant.parse("2026-11-23T10:00:00Z"), Duration.ofMillis(1500)));
        }
        try (Journal<Entry> j = Journal.open(file, Entry.class)) {
            j.append(new Entry("b", Instant.parse("2026-11-23T10:00:01Z"), Duration.ZERO));
        }
        assertThat(Files.readString(file)).contains("\"at\":\"2026-11-23T10:00:00Z\"").contains("\"took\":\"PT1.5S\"");
        Files.writeString(file, "{\"step\":\"c\",\"at\":\"2026-11", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(Journal.read(file, Entry.class)).extracting(Entry::step).containsExactly("a", "b");
    }

    @Test
    void aCopyMadeLineByLineReadsBackLikeTheJournal() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        Entry entry = new Entry("a", Instant.parse("2026-11-23T10:00:00Z"), Duration.ofMillis(1500));
        try (Journal<Entry> j = Journal.open(file, Entry.class)) {
            j.append(entry);
        }
        Path copy = dir.resolve("copy.jsonl");
        Files.writeString(copy, Journal.line(entry) + "\n");

        assertThat(Files.readString(copy)).isEqualTo(Files.readString(file));
        assertThat(Journal.read(copy, Entry.class)).containsExactly(entry);
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingTheLine() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, "{\"step\":\"a\"}\nnot json\n{\"step\":\"b\"}\n");

        assertThatThrownBy(() -> Journal.read(file, Entry.class)).isInstanceOf(JournalException.class)
                .hasMessageContaining("line 2");
    }
}
