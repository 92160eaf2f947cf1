package io.haupgrade.spec;

/** A bastion the SSH connections go through, like OpenSSH's ProxyJump. */
@Doc("A bastion the SSH connections go through (like ProxyJump).")
public record JumpHost(
        @Required @Doc(value = "Address of the bastion.", example = "bastion.example.net") String host,
        @Doc("SSH port of the bastion. Default: 22.") Integer port,
        @Doc("User on the bastion. Default: ssh.user.") String user,
        @Doc("Credentials for the bastion. Default: ssh.credentialsId.") String credentialsId,
        @Doc("Pinned host key fingerprint of the bastion (SHA256:...).") String hostKey) {

    public JumpHost {
        port = port == null ? 22 : port;
    }
}
