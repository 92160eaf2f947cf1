package io.jenkins.plugins.haupgrade;

import hudson.remoting.Callable;
import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import java.io.IOException;

/**
 * Runs work on the step's agent so that the console shows what it printed before anything the controller prints
 * next. On an agent the build listener's stream is buffered there (flushed every few seconds) and its bytes reach
 * the build log through the channel's pipe, after the call's answer. So the callable flushes its console before it
 * returns, and the controller waits here for the pipe: without both, "Paused for approval" and its links landed in
 * the middle of the stretch's output instead of after it.
 */
final class AgentCall {
    private AgentCall() {
    }

    /** On the controller: the call, then every console byte the agent sent before its answer is in the log. */
    static <V, T extends Throwable> V call(VirtualChannel channel, Callable<V, T> callable)
            throws IOException, InterruptedException, T {
        try {
            return channel.call(callable);
        } finally {
            if (channel instanceof Channel remote && !remote.isClosingOrClosed()) {
                remote.syncLocalIO();
            }
        }
    }
}
