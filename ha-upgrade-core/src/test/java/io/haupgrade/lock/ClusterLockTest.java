package io.haupgrade.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haupgrade.ssh.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lock command against a real /bin/sh, one directory per node (the SSH layer is tested elsewhere). */
@Timeout(60)
class ClusterLockTest {
    @TempDir
    Path root;

    private final List<String> nodes = List.of("n1", "n2", "n3");
    private final ExecutorService lockThreads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        lockThreads.shutdownNow();
    }

    private LockTransport shell() {
        return (node, command, timeout) -> {
            Path dir = root.resolve(node);
            try {
                Files.createDirectories(dir);
                Process p = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                return new CommandResult(p.waitFor(), out, err, 0, Duration.ZERO, false);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot run sh", e);
            }
        };
    }

    private ClusterLock lock(String owner, String run, Clock clock) {
        return new ClusterLock(ClusterLock.defaultPath("lb prod"), owner, run, "ops1", Duration.ofHours(2), shell(), clock,
                lockThreads);
    }

    @Test
    void secondRunIsRefusedWithTheHolderNamedAndNothingTakenFromTheFirst() throws Exception {
        ClusterLock first = lock("alice", "run-1", Clock.systemUTC());
        assertThat(first.acquire(nodes, false)).isEmpty();
        ClusterLock second = lock("bob", "run-2", Clock.systemUTC());

        assertThatThrownBy(() -> second.acquire(nodes, false))
                .isInstanceOf(LockRefusedException.class)
                .hasMessageContaining("alice@ops1 (run run-1")
                .hasMessageContaining("--break-lock");
        assertThat(second.heldOn()).isEmpty();
        for (String node : nodes) {
            assertThat(Files.readString(root.resolve(node).resolve(".ha-upgrade/locks/lb_prod/owner"))).contains("run=run-1");
        }

        assertThat(first.release()).isEmpty();
        assertThat(second.acquire(nodes, false)).isEmpty();
        assertThat(second.release()).isEmpty();
        assertThat(root.resolve("n1/.ha-upgrade/locks/lb_prod")).doesNotExist();
    }

    @Test
    void sameRunRetakesItsLockOnResumeAndExpiredOrBrokenLocksAreTakenOverWithAWarning() throws Exception {
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        lock("alice", "run-1", Clock.fixed(t0, ZoneOffset.UTC)).acquire(nodes, false);
        assertThat(lock("alice", "run-1", Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC)).acquire(nodes, false)).isEmpty();

        List<String> expired = lock("bob", "run-2", Clock.fixed(t0.plus(Duration.ofHours(3)), ZoneOffset.UTC))
                .acquire(nodes, false);
        assertThat(expired).hasSize(3).allSatisfy(w -> assertThat(w).contains("alice@ops1 (run run-1"));

        List<String> broken = lock("carol", "run-3", Clock.systemUTC()).acquire(nodes, true);
        assertThat(broken).hasSize(3).allSatisfy(w -> assertThat(w).contains("bob@ops1 (run run-2"));
        // A release by the run whose lock was broken must not remove the new holder's lock.
        ClusterLock bob = lock("bob", "run-2", Clock.systemUTC());
        bob.acquire(List.of(), false);
        assertThat(shell().exec("n2", bob.releaseCommand(), Duration.ofSeconds(5)).exitCode()).isZero();
        assertThat(Files.readString(root.resolve("n2/.ha-upgrade/locks/lb_prod/owner"))).contains("run=run-3");
    }

    /** Before an approval nothing is due yet, but the wait may be long: renew() gives the wait the whole expiry. */
    @Test
    void renewExtendsTheExpiryAtOnceWhileRenewIfDueWaitsForHalfOfIt() throws Exception {
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        Instant[] now = {t0};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        ClusterLock lock = lock("alice", "run-1", clock);
        lock.acquire(nodes, false);
        now[0] = t0.plus(Duration.ofMinutes(50));

        assertThat(lock.renewIfDue()).isEmpty();
        assertThat(expiresOn("n1")).isEqualTo(t0.plus(Duration.ofHours(2)));
        assertThat(lock.renew()).isEmpty();
        for (String node : nodes) {
            assertThat(expiresOn(node)).as(node).isEqualTo(now[0].plus(Duration.ofHours(2)));
        }
    }

    private Instant expiresOn(String node) throws IOException {
        String owner = Files.readString(root.resolve(node + "/.ha-upgrade/locks/lb_prod/owner"));
        return Instant.ofEpochSecond(Long.parseLong(owner.lines().filter(l -> l.startsWith("expires="))
                .findFirst().orElseThrow().substring("expires=".length())));
    }

    @Test
    void racingRunsNeverBothWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<ClusterLock> locks = new ArrayList<>();
                List<Callable<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    ClusterLock l = lock("user" + i, "race-" + round + "-" + i, Clock.systemUTC());
                    locks.add(l);
                    tries.add(() -> {
                        try {
                            l.acquire(nodes, false);
                            return true;
                        } catch (LockRefusedException e) {
                            return false;
                        }
                    });
                }
                List<Boolean> won = Collections.synchronizedList(new ArrayList<>());
                for (Future<Boolean> f : pool.invokeAll(tries)) {
                    won.add(f.get());
                }
                assertThat(won.stream().filter(w -> w).count()).isLessThanOrEqualTo(1);
                locks.forEach(ClusterLock::release);
                assertThat(root.resolve("n1/.ha-upgrade/locks/lb_prod")).doesNotExist();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
