package io.haupgrade.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * A one-line control file that shell commands rewrite ({@code echo 6.1.2 > app/version}), read again only when its
 * modification time or size changes. Thread-safe.
 *
 * <p>{@code echo X > file} truncates before it writes, so a reader can catch the file empty for a moment: an empty
 * file keeps the last value instead, or a service would flicker through an outage nobody caused.
 */
final class WatchedFile {

    private final Path file;
    private final String absent;
    private long seenModified = Long.MIN_VALUE;
    private long seenSize = -1;
    private String value;

    /** @param absent the value while the file does not exist */
    WatchedFile(Path file, String absent) {
        this.file = file;
        this.absent = absent;
        this.value = absent;
    }

    synchronized String value() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Instant time = attributes.lastModifiedTime().toInstant();
            long modified = time.getEpochSecond() * 1_000_000_000L + time.getNano();
            if (modified != seenModified || attributes.size() != seenSize) {
                String read = Files.readString(file, StandardCharsets.UTF_8).strip();
                seenModified = modified;
                seenSize = attributes.size();
                if (!read.isEmpty()) {
                    value = read;
                }
            }
        } catch (NoSuchFileException e) {
            seenModified = Long.MIN_VALUE;
            seenSize = -1;
            value = absent;
        } catch (IOException e) {
            // Unreadable for a moment (being replaced): keep the last value.
        }
        return value;
    }

    /** The modification time seen at the last read, in nanoseconds; for ordering rewrites of several files. */
    synchronized long modified() {
        return seenModified;
    }

    Path path() {
        return file;
    }
}
