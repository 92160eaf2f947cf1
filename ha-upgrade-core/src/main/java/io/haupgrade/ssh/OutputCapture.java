package io.haupgrade.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the SSH client writes one output stream of a command: splits it into lines, masks them, passes them to
 * the listener and keeps a bounded tail, counting the lines that did not fit. Memory stays bounded however
 * much a command prints: at most {@link #TAIL_CHARS} of tail and one line of {@link #MAX_LINE_BYTES}.
 */
final class OutputCapture extends java.io.OutputStream {
    static final int TAIL_CHARS = 64 * 1024;
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final OutputListener.OutputStream stream;
    private final OutputListener listener;
    private final SecretMasker masker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch pgidKnown = new CountDownLatch(1);
    private boolean expectPgidLine;
    private long pgid = -1;
    private int tailChars;
    private long droppedLines;
    private RuntimeException listenerFailure;

    OutputCapture(OutputListener.OutputStream stream, OutputListener listener, SecretMasker masker,
            boolean expectPgidLine) {
        this.stream = stream;
        this.listener = listener;
        this.masker = masker;
        this.expectPgidLine = expectPgidLine;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            endLine();
        } else {
            line.write(b);
            if (line.size() >= MAX_LINE_BYTES) {
                endLine();
            }
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                endLine();
                start = i + 1;
            } else if (line.size() + (i - start) >= MAX_LINE_BYTES) {
                line.write(bytes, start, i - start);
                endLine();
                start = i;
            }
        }
        line.write(bytes, start, end - start);
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (expectPgidLine) {
            expectPgidLine = false;
            if (text.startsWith(CommandScript.PGID_MARKER)) {
                pgid = Long.parseLong(text.substring(CommandScript.PGID_MARKER.length()).strip());
                pgidKnown.countDown();
                return;
            }
        }
        add(masker.mask(text));
    }

    /** A line of the SSH layer's own (e.g. what it did at a timeout), shown and kept like the command's. */
    synchronized void note(String text) {
        add(masker.mask(text));
    }

    private void add(String text) {
        try {
            listener.line(stream, text);
        } catch (RuntimeException e) {
            if (listenerFailure == null) {
                listenerFailure = e;
            }
        }
        tail.addLast(text);
        tailChars += text.length() + 1;
        while (tailChars > TAIL_CHARS && tail.size() > 1) {
            tailChars -= tail.removeFirst().length() + 1;
            droppedLines++;
        }
    }

    /** The SSH client closes the stream at the remote end of file. */
    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            endLine();
        }
        closed.countDown();
    }

    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** The process group id the command reported, waiting up to {@code wait} for it; -1 if it did not come. */
    long awaitPgid(Duration wait) throws InterruptedException {
        pgidKnown.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        synchronized (this) {
            return pgid;
        }
    }

    /** Like {@link #awaitPgid}, for a thread that was interrupted and must still clean up. */
    long awaitPgidUninterruptibly(Duration wait) {
        try {
            return awaitPgid(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                return pgid;
            }
        }
    }

    synchronized String tail() {
        if (tail.isEmpty()) {
            return "";
        }
        return String.join("\n", tail) + "\n";
    }

    synchronized long droppedLines() {
        return droppedLines;
    }

    synchronized RuntimeException listenerFailure() {
        return listenerFailure;
    }
}
