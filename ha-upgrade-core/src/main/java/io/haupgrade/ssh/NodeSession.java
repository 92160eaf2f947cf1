package io.haupgrade.ssh;

/** An open SSH session to one node, reused for many commands; closing it closes the connection. */
public interface NodeSession extends AutoCloseable {

    /** The node this session is connected to, as named in the spec. */
    String node();

    /**
     * Runs a command and waits for it, streaming its output to {@code listener}.
     *
     * @throws SshException when the command could not be run or its outcome is unknown (connection lost
     *     mid-command); a command that ran and failed is a result with its exit code, not an exception
     */
    CommandResult exec(RemoteCommand command, OutputListener listener) throws SshException;

    @Override
    void close();
}
