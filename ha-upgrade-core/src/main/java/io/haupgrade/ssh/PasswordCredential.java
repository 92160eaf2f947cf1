package io.haupgrade.ssh;

import java.util.List;
import java.util.Objects;

/** Log in with a password. */
public record PasswordCredential(String username, Secret password) implements Credential {

    public PasswordCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public List<String> secretValues() {
        return List.of(password.reveal());
    }
}
