package io.haupgrade.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One exec request run the way OpenSSH runs it: {@code /bin/sh -c <command>} as leader of a new session and
 * process group (sshd calls setsid for every command), with the node's directory as working directory, and
 * pipes for stdin, stdout and stderr. Closing the channel closes the pipes but does not kill the command,
 * as with sshd: a client that wants a command gone must kill it.
 */
final class ShellCommand implements Command {
    /** Copies bytes between pipes and channels; threads die when idle, so a quiet JVM keeps none. */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "embedded-ssh-pump");
        thread.setDaemon(true);
        return thread;
    });

    private final String commandLine;
    private final Path dir;
    private final Map<String, String> nodeEnv;
    private final Set<Process> liveProcesses;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exitCallback;
    private volatile Process process;

    ShellCommand(String commandLine, Path dir, Map<String, String> nodeEnv, Set<Process> liveProcesses) {
        this.commandLine = commandLine;
        this.dir = dir;
        this.nodeEnv = nodeEnv;
        this.liveProcesses = liveProcesses;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exitCallback) {
        this.exitCallback = exitCallback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("setsid", "/bin/sh", "-c", commandLine).directory(dir.toFile());
        Map<String, String> processEnv = builder.environment();
        String path = processEnv.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        processEnv.clear();
        processEnv.put("PATH", path);
        processEnv.put("HOME", dir.toString());
        processEnv.put("LANG", "C.UTF-8");
        processEnv.put("USER", channel.getSession().getUsername());
        processEnv.putAll(nodeEnv);
        processEnv.putAll(env.getEnv());
        Process started = builder.start();
        process = started;
        liveProcesses.add(started);
        CountDownLatch stderrDone = new CountDownLatch(1);
        PUMPS.execute(() -> {
            copy(started.getErrorStream(), err);
            stderrDone.countDown();
        });
        PUMPS.execute(() -> copyStdin(started));
        PUMPS.execute(() -> {
            copy(started.getInputStream(), out);
            int exitCode = -1;
            try {
                stderrDone.await();
                exitCode = started.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                liveProcesses.remove(started);
            }
            exitCallback.onExit(exitCode);
        });
    }

    private void copyStdin(Process started) {
        try (OutputStream toProcess = started.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                toProcess.write(buffer, 0, n);
                toProcess.flush();
            }
        } catch (IOException e) {
            // The command closed its stdin or the channel went away: either way there is nothing more to pass.
        }
    }

    /** Copies until the pipe ends; when the channel is gone, closes the pipe so the command gets EPIPE as under sshd. */
    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try (from) {
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                try {
                    to.write(buffer, 0, n);
                    to.flush();
                } catch (IOException channelGone) {
                    return;
                }
            }
        } catch (IOException e) {
            // The pipe was closed by destroy(): the channel is gone.
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running == null) {
            return;
        }
        closeQuietly(running.getOutputStream());
        closeQuietly(running.getInputStream());
        closeQuietly(running.getErrorStream());
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
