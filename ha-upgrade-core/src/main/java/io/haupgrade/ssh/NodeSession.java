package io.haupgrade.ssh;

import java.nio.file.Path;

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

    /**
     * Copies a local file to the node (SFTP) and proves it arrived intact: the node's {@code sha256sum} must
     * match, then the file gets {@code mode} and is moved into place, so {@code remotePath} never holds a partial
     * file. A relative {@code remotePath} is relative to the login directory.
     *
     * @throws SshException when the copy failed or did not verify (the partial file is removed)
     */
    Upload upload(Path localFile, String remotePath, int mode) throws SshException;

    @Override
    void close();
}
