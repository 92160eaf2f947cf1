package io.haupgrade.cli;

import io.haupgrade.execute.CredentialResolver;
import io.haupgrade.ssh.Credential;
import io.haupgrade.ssh.PasswordCredential;
import io.haupgrade.ssh.PrivateKeyCredential;
import io.haupgrade.ssh.Secret;
import io.haupgrade.ssh.SshException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the CLI turns a spec's credentialsId into a credential, documented in docs/cli.md: a key file named for the id
 * ({@code --credentials ID=FILE}), else the key of {@code --identity FILE}, else a password from the environment
 * variable named by {@code --password-env VAR}, else ~/.ssh/id_ed25519 or ~/.ssh/id_rsa. A key passphrase comes
 * from the variable named by {@code --passphrase-env VAR}. No secret value is ever taken from the command line.
 */
final class CliCredentials implements CredentialResolver {
    private final Map<String, Path> byId;
    private final Path identity;
    private final String passphraseEnv;
    private final String passwordEnv;
    private final Map<String, String> env;

    CliCredentials(Map<String, Path> byId, Path identity, String passphraseEnv, String passwordEnv,
            Map<String, String> env) {
        this.byId = Map.copyOf(byId);
        this.identity = identity;
        this.passphraseEnv = passphraseEnv;
        this.passwordEnv = passwordEnv;
        this.env = env;
    }

    @Override
    public Credential resolve(String credentialsId, String user, String node) throws SshException {
        String login = user != null ? user : System.getProperty("user.name");
        Path key = credentialsId != null ? byId.get(credentialsId) : null;
        if (key == null) {
            key = identity;
        }
        if (key == null && passwordEnv != null) {
            String password = env.get(passwordEnv);
            if (password == null) {
                throw new SshException(node, null, "--password-env names " + passwordEnv + ", which is not set",
                        "export " + passwordEnv + " before running", null);
            }
            return new PasswordCredential(login, Secret.of(password));
        }
        if (key == null) {
            Path home = Path.of(System.getProperty("user.home"), ".ssh");
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                if (Files.isReadable(home.resolve(name))) {
                    key = home.resolve(name);
                    break;
                }
            }
        }
        if (key == null) {
            throw new SshException(node, null, "no credential for node " + node
                    + (credentialsId == null ? "" : " (credentialsId " + credentialsId + ")"),
                    "pass --identity FILE, --credentials " + (credentialsId == null ? "ID" : credentialsId)
                            + "=FILE or --password-env VAR", null);
        }
        try {
            Secret passphrase = null;
            if (passphraseEnv != null) {
                String value = env.get(passphraseEnv);
                if (value == null) {
                    throw new SshException(node, null, "--passphrase-env names " + passphraseEnv + ", which is not set",
                            "export " + passphraseEnv + " before running", null);
                }
                passphrase = Secret.of(value);
            }
            return new PrivateKeyCredential(login, Files.readAllBytes(key), passphrase);
        } catch (IOException e) {
            throw new SshException(node, null, "cannot read key file " + key + ": " + e.getMessage(),
                    "check the path and its permissions", e);
        }
    }
}
