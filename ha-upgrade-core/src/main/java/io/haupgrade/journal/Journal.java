package io.haupgrade.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only file of JSON lines, one record per line, forced to disk after every record, so that a process
 * killed at any point leaves every record it appended readable. A last line cut short by the kill is ignored on
 * reading (it was never acknowledged to the caller).
 *
 * @param <T> the record type; polymorphic types carry their Jackson type id in each line
 */
public final class Journal<T> implements AutoCloseable {
    private static final ObjectMapper JSON = mapper();

    private final Path file;
    private final Class<T> type;
    private final FileChannel channel;

    private Journal(Path file, Class<T> type, FileChannel channel) {
        this.file = file;
        this.type = type;
        this.channel = channel;
    }

    /** Opens (creating if needed) the journal for appending after what it already holds. */
    public static <T> Journal<T> open(Path file, Class<T> type) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new Journal<>(file, type, channel);
    }

    /** Appends one record and forces it to disk before returning. */
    public synchronized void append(T record) {
        byte[] line;
        try {
            line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new JournalException(file, "cannot serialize " + record.getClass().getSimpleName(), e);
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new JournalException(file, "cannot append to the journal (disk full or file system gone?)", e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The line {@link #append} writes for {@code record}, without its newline: for a copy of a journal kept
     * elsewhere, such as the Jenkins controller's copy of a run the engine works on at an agent.
     */
    public static String line(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + record.getClass().getSimpleName()
                    + " as a journal line", e);
        }
    }

    /** Every complete record of a journal, in order; a torn last line is skipped. */
    public static <T> List<T> read(Path file, Class<T> type) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<T> records = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readValue(line, type));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new JournalException(file, "line " + (i + 1) + " is not a journal record: " + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close journal " + file, e);
        }
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
