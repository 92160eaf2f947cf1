package io.jenkins.plugins.haupgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The run's journal on the controller, in the build directory, fed from the agent: the engine journals each
 * durable event on the agent, then the plugin's listener appends the same line here (through a remoting proxy)
 * before the engine goes on. So the controller always holds every fact the agent acted on, and a restarted
 * controller resumes from it. A line the agent could not deliver (the channel closed) stops the run on the agent
 * at once, as if that process had died there.
 */
interface JournalMirror {
    /** Appends one journal line (JSON, no newline) and forces it to disk before returning. */
    void append(String line);

    /** The controller side: appends to {@code file}. */
    final class ToFile implements JournalMirror {
        private final Path file;

        ToFile(Path file) {
            this.file = file;
        }

        @Override
        public synchronized void append(String line) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the run journal " + file
                        + " on the controller (disk full?)", e);
            }
        }

        static byte[] read(Path file) throws IOException {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        }
    }
}
