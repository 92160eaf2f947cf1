package io.haupgrade.ssh;

import java.util.List;

/**
 * How to log in to a node. Built by whoever holds the secrets (the CLI from files, Jenkins from its credentials
 * store); the SSH layer only uses it and registers its secret parts with the {@link SecretMasker}.
 */
public sealed interface Credential permits PrivateKeyCredential, PasswordCredential {

    String username();

    /** The values of this credential that must be masked wherever they might show up. */
    List<String> secretValues();
}
