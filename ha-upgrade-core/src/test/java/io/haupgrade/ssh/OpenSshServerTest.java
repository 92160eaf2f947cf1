package io.haupgrade.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSH layer against Debian's OpenSSH sshd, started here on a loopback port with its own config, host keys
 * (ed25519, ecdsa, rsa) and a throwaway user who needs a password for sudo. Needs root and openssh-server and
 * sudo (.ci/run installs them); skips otherwise.
 */
@Timeout(120)
class OpenSshServerTest {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Path dir;
    private static Process sshd;
    private static int port;
    private static String user;
    private static String password;
    private static Path sudoers;

    private SecretMasker masker;
    private SshConnector connector;

    @BeforeAll
    static void startSshd() throws Exception {
        assumeTrue(Files.isExecutable(SSHD), "OpenSSH tier skipped: /usr/sbin/sshd is missing "
                + "(apt-get install openssh-server)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "OpenSSH tier skipped: sudo is missing (apt-get install sudo)");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "OpenSSH tier skipped: it creates a throwaway user and runs sshd, which needs root");
        dir = Files.createTempDirectory("ha-upgrade-sshd");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", dir.resolve("host_" + type).toString());
        }
        user = "hau" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        password = "pw-" + Long.toHexString(new Random().nextLong());
        Path home = Files.createDirectory(dir.resolve("home"));
        run("useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", user);
        run("chown", user, home.toString());
        run("sh", "-c", "echo \"$0:$1\" | chpasswd", user, password);
        sudoers = Path.of("/etc/sudoers.d/" + user);
        Files.writeString(sudoers, user + " ALL=(ALL) ALL\nDefaults:" + user + " timestamp_timeout=0, !lecture\n");
        Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
        // sshd's privilege separation directory; left in place afterwards, as other sshd instances may use it.
        Files.createDirectories(Path.of("/run/sshd"));
        port = CommandExecutionTest.freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "HostKey " + dir.resolve("host_ecdsa"),
                "HostKey " + dir.resolve("host_rsa"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir + "/authorized_keys_%u",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "AllowTcpForwarding yes",
                "MaxStartups 50",
                "Subsystem sftp internal-sftp",
                "LogLevel ERROR", ""));
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        awaitListening();
    }

    private static void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.descendants().forEach(ProcessHandle::destroyForcibly);
            sshd.destroy();
            sshd.waitFor();
        }
        if (user != null) {
            killAllProcessesOf(user);
            run("userdel", user);
            Files.deleteIfExists(sudoers);
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** SIGKILL is asynchronous: userdel refuses while a killed process of the user has not yet exited. */
    private static void killAllProcessesOf(String user) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (new ProcessBuilder("pgrep", "-u", user).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of test user " + user + " survived SIGKILL for 15 s");
            }
            run("pkill", "-KILL", "-u", user);
            Thread.sleep(50);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 && !command[0].equals("pkill")) {
            throw new IllegalStateException(String.join(" ", command).replace(password == null ? "\0" : password, "****")
                    + " failed with " + exit + ": " + output);
        }
        return output;
    }

    @BeforeEach
    void openConnector() {
        masker = new SecretMasker();
        connector = new SshConnector(masker);
    }

    @AfterEach
    void closeConnector() {
        connector.close();
    }

    private static String knownHosts(String... types) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String type : types) {
            String pub = Files.readString(dir.resolve("host_" + type + ".pub")).strip();
            String[] fields = pub.split(" ");
            text.append("[127.0.0.1]:").append(port).append(' ').append(fields[0]).append(' ').append(fields[1])
                    .append('\n');
        }
        return text.toString();
    }

    /** A client key made by ssh-keygen and authorized for the throwaway user. */
    private static PrivateKeyCredential clientKey(String type, boolean pem, String passphrase) throws Exception {
        Path key = dir.resolve("client_" + type + (pem ? "_pem" : "") + "_" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase == null ? ""
                : passphrase, "-f", key.toString()));
        if (pem) {
            command.addAll(List.of("-m", "PEM"));
        }
        run(command.toArray(String[]::new));
        Files.writeString(dir.resolve("authorized_keys_" + user), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return new PrivateKeyCredential(user, Files.readAllBytes(key), passphrase == null ? null : Secret.of(passphrase));
    }

    private SshTarget.Builder target(Credential credential, HostKeyPolicy hostKeys) {
        return SshTarget.builder("sshd-1", "127.0.0.1", credential, hostKeys).port(port)
                .connectTimeout(Duration.ofSeconds(10)).connectRetries(0);
    }

    private SshTarget.Builder target() throws Exception {
        return target(new PasswordCredential(user, Secret.of(password)),
                KnownHostsPolicy.fromText("sshd test", knownHosts("ed25519", "ecdsa", "rsa")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa", "ecdsa pem", "rsa pem"})
    void logsInWithSshKeygenKeysWithPassphrase(String kind) throws Exception {
        String[] parts = kind.split(" ");
        PrivateKeyCredential credential = clientKey(parts[0], parts.length > 1, "pass phrase " + parts[0]);

        NodeSession session = connector.session(target(credential,
                KnownHostsPolicy.fromText("sshd test", knownHosts("ed25519"))).build());

        assertThat(session.exec(RemoteCommand.of("id -un", TIMEOUT), OutputListener.NONE).stdout()).isEqualTo(user + "\n");
    }

    @Test
    void logsInWithAPasswordAndRefusesAWrongOne() throws Exception {
        assertThat(connector.session(target().build()).exec(RemoteCommand.of("id -un", TIMEOUT), OutputListener.NONE)
                .stdout()).isEqualTo(user + "\n");

        try (SshConnector fresh = new SshConnector(new SecretMasker())) {
            assertThatThrownBy(() -> fresh.session(target(new PasswordCredential(user, Secret.of("not-" + password)),
                    KnownHostsPolicy.fromText("t", knownHosts("ed25519"))).build()))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("refused login as " + user + " by password")
                    .hasMessageNotContaining(password);
        }
    }

    @Test
    void asksTheServerForTheKeyTypeOnRecordAndRefusesUnknownAndChangedKeys() throws Exception {
        for (String onlyKnown : List.of("rsa", "ecdsa", "ed25519")) {
            try (SshConnector fresh = new SshConnector(new SecretMasker())) {
                HostKeyPolicy policy = KnownHostsPolicy.fromText("sshd test", knownHosts(onlyKnown));
                assertThat(fresh.session(target(new PasswordCredential(user, Secret.of(password)), policy).build())
                        .exec(RemoteCommand.of("echo ok", TIMEOUT), OutputListener.NONE).stdout())
                        .as("known hosts with only the " + onlyKnown + " key").isEqualTo("ok\n");
            }
        }
        String fingerprint = run("ssh-keygen", "-l", "-f", dir.resolve("host_ed25519.pub").toString()).split(" ")[1];
        try (SshConnector fresh = new SshConnector(new SecretMasker())) {
            assertThatThrownBy(() -> fresh.session(target(new PasswordCredential(user, Secret.of(password)),
                    KnownHostsPolicy.fromText("sshd test", "")).build()))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("host key of node sshd-1 (127.0.0.1:" + port + ") is unknown: ssh-ed25519 "
                            + fingerprint);
        }
        try (SshConnector fresh = new SshConnector(new SecretMasker())) {
            assertThatThrownBy(() -> fresh.session(target(new PasswordCredential(user, Secret.of(password)),
                    KnownHostsPolicy.fromText("sshd test", "[127.0.0.1]:" + port + " ssh-ed25519 "
                            + anotherEd25519Key())).build()))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("has CHANGED: ssh-ed25519 " + fingerprint);
        }
    }

    private static String anotherEd25519Key() throws Exception {
        Path other = dir.resolve("other_" + System.nanoTime());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        return Files.readString(Path.of(other + ".pub")).split(" ")[1];
    }

    @Test
    void sudoGetsThePasswordOnStdinAndTheSecretIsMaskedEverywhere() throws Exception {
        NodeSession session = connector.session(target().sudoPassword(Secret.of(password)).build());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        CommandResult asRoot = session.exec(new RemoteCommand("id -u; echo \"typed: " + password + "\"; cat",
                TIMEOUT, true, null, null, false), (stream, line) -> lines.add(line));

        assertThat(asRoot.exitCode()).isZero();
        assertThat(asRoot.stdout()).isEqualTo("0\ntyped: ****\n");
        assertThat(lines).containsExactly("0", "typed: ****");
    }

    @Test
    void sudoWithoutAPasswordFailsInsteadOfHanging() throws Exception {
        NodeSession session = connector.session(target().build());

        CommandResult result = session.exec(new RemoteCommand("id -u", TIMEOUT, true, null, null, false),
                OutputListener.NONE);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("password is required");
    }

    @Test
    void aWrongSudoPasswordFailsAndIsNotShown() throws Exception {
        NodeSession session = connector.session(target().sudoPassword(Secret.of("bad-sudo-pw")).build());

        CommandResult result = session.exec(new RemoteCommand("id -u", TIMEOUT, true, null, null, false),
                OutputListener.NONE);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("incorrect password").doesNotContain("bad-sudo-pw");
    }

    @Test
    void killsATimedOutCommandOnARealSshd() throws Exception {
        NodeSession session = connector.session(target().build());

        CommandResult result = session.exec(RemoteCommand.of(
                "echo $$ > main.pid; sleep 300 & echo $! > child.pid; wait", Duration.ofSeconds(1)), OutputListener.NONE);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stderr()).contains("killed (SIGTERM)");
        assertThat(alive(session, "main.pid")).isFalse();
        assertThat(alive(session, "child.pid")).isFalse();
    }

    @Test
    void killsATimedOutSudoCommandWithSudo() throws Exception {
        NodeSession session = connector.session(target().sudoPassword(Secret.of(password)).build());

        CommandResult result = session.exec(new RemoteCommand("echo $$ > /tmp/" + user + ".pid; sleep 300",
                Duration.ofSeconds(2), true, null, null, false), OutputListener.NONE);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stderr()).contains("killed (SIGTERM)");
        assertThat(alive(session, "/tmp/" + user + ".pid")).isFalse();
        Files.deleteIfExists(Path.of("/tmp/" + user + ".pid"));
    }

    private static boolean alive(NodeSession session, String pidFile) throws SshException {
        return session.exec(RemoteCommand.of("s=$(cat /proc/$(cat " + pidFile + ")/stat 2>/dev/null); s=${s##*) };"
                + " [ -n \"$s\" ] && [ \"${s%% *}\" != Z ] && echo alive || echo gone", TIMEOUT),
                OutputListener.NONE).stdout().equals("alive\n");
    }

    @Test
    void uploadsIntoTheHomeDirectoryAndVerifiesTheChecksum() throws Exception {
        NodeSession session = connector.session(target().build());
        Path local = dir.resolve("upgrade.sh");
        Files.writeString(local, "#!/bin/sh\necho upgraded as $(id -un)\n");

        Upload upload = session.upload(local, "upgrade.sh", 0700);

        assertThat(upload.remotePath()).isEqualTo(dir.resolve("home/upgrade.sh").toString());
        assertThat(session.exec(RemoteCommand.of("./upgrade.sh", TIMEOUT), OutputListener.NONE).stdout())
                .isEqualTo("upgraded as " + user + "\n");
    }
}
