package io.haupgrade.spec;

/** Where host keys are checked against. Strict by default: an unknown or changed key is refused. */
@Doc("Where the nodes' host keys are checked against. Strict: an unknown or changed key is refused.")
public record KnownHosts(
        @Doc(value = "An OpenSSH known_hosts file on the machine that runs the upgrade.", example = "~/.ssh/known_hosts")
        String file,
        @Doc("known_hosts lines written inline in the spec.")
        String text,
        @Doc("Trust and record a host key never seen before (never a changed one). Reported loudly on every use. Default: false.")
        Boolean acceptNew) {

    public KnownHosts {
        acceptNew = acceptNew != null && acceptNew;
    }
}
