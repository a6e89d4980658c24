package dev.lumen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lumen.cli.ManagedProcess;
import dev.lumen.cli.Platform;
import dev.lumen.contracts.ImageResult;
import dev.lumen.contracts.Topics;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite: the packaged platform (devstack, results-service, run-service and two workers, each
 * its own JVM, supervised as {@code ./lumen up} supervises) survives, without anyone touching it,
 * (1) S3 stopped for 30 s mid-run, (2) the broker stopped and started again mid-run, (3) a worker
 * killed with {@code kill -9} three times, (4) results-service killed with {@code kill -9} (the
 * supervisor starts it again). Each case is one fixture run that must end COMPLETED with exact counts
 * and every image stored once, read back from S3 (see {@link PlatformFixture#assertCompletedExactlyOnce}).
 * Each case prints the time from the fault's end to the next stored result (for a killed worker: to the
 * next result on the partitions it held, i.e. the takeover); the goal is 15 s, the README has the
 * figures. A last case shows that a live worker keeps an image that takes longer than the session
 * timeout (a long D-RISE image is not taken away from it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    /** Images per case (decision 0028: fewer than the issue's 200 keeps the suite within its CI budget). */
    private static final int IMAGES = Integer.getInteger("lumen.chaos.images", 100);
    /**
     * Three kills, each followed by the supervisor's restart, outlast a run of 3 x IMAGES now that
     * results-service stores several results at once (decision 0063): on this machine a kill, its
     * takeover, the restart and the rebalance take 25-40 s while two workers explain 4-10 images a
     * second, so the kill run is ten times as long and may take up to 12 minutes to complete.
     */
    private static final int KILL_RUN_IMAGES = 10 * IMAGES;
    private static final Duration S3_OUTAGE = Duration.ofSeconds(30);
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(10);
    /** What a case may take to recover before it fails; the goal (15 s) is printed, not asserted. */
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    private static final String WORKER = "worker-service";
    private static final String WORKER_GROUP = "lumen-workers";
    private static final int TASK_PARTITIONS = Topics.ALL.stream()
            .filter(t -> t.name().equals(Topics.IMAGE_TASKS)).findFirst().orElseThrow().partitions();

    private static PlatformFixture lumen;
    private static final Map<String, String> RECOVERIES = new LinkedHashMap<>();

    @BeforeAll
    static void startPlatform() {
        // Enough copies of the demo images (48 each) for the kill case's run.
        lumen = PlatformFixture.start("chaos", Math.max(1, (KILL_RUN_IMAGES + 39) / 40), 2);
        lumen.platform().supervise(System.out);
    }

    @AfterAll
    static void stopPlatform() {
        if (lumen != null) {
            lumen.close();
        }
        System.out.println("Chaos suite, " + IMAGES + " images per case, fault end to next stored result (goal <= 15 s):");
        RECOVERIES.forEach((fault, figure) -> System.out.printf(Locale.ROOT, "  %-44s %s%n", fault, figure));
    }

    @Test
    @Order(1)
    void s3StoppedFor30SecondsMidRun() {
        String runId = lumen.createRun("chaos-s3", PlatformFixture.MANY, IMAGES);
        try (StoredResultsWatch watch = StoredResultsWatch.of(lumen, runId)) {
            watch.awaitStored(IMAGES / 10, Duration.ofMinutes(3));
            lumen.platform().stop(Platform.Dependency.S3);
            Instant stopped = Instant.now();
            Set<String> degraded = new HashSet<>();
            Map<String, String> reasons = new LinkedHashMap<>();
            while (Duration.between(stopped, Instant.now()).compareTo(S3_OUTAGE) < 0) {
                for (String instance : lumen.platform().instances()) {
                    consumerDegradation(instance).ifPresent(reason -> {
                        degraded.add(instance);
                        reasons.putIfAbsent(instance, reason);
                    });
                }
                PlatformFixture.sleep(1000);
            }
            int storedDuringOutage = watch.stored();
            lumen.platform().start(Platform.Dependency.S3);
            Instant back = Instant.now();
            reasons.forEach((instance, reason) -> System.out.println("during the S3 outage " + instance + ": " + reason));
            assertThat(degraded).as("the workers retry through the outage and say so in their health")
                    .containsAnyOf(WORKER, WORKER + "-2");

            Duration recovery = recovery("(1) S3 stopped for 30 s", watch, back);
            assertThat(watch.stored()).isGreaterThan(storedDuringOutage);
            assertThat(recovery).isLessThanOrEqualTo(RECOVERY_LIMIT);
        }
        lumen.assertCompletedExactlyOnce(runId, IMAGES);
        awaitHealthyConsumers();
    }

    @Test
    @Order(2)
    void brokerStoppedAndStartedAgainMidRun() {
        String runId = lumen.createRun("chaos-broker", PlatformFixture.MANY, IMAGES);
        try (StoredResultsWatch watch = StoredResultsWatch.of(lumen, runId)) {
            watch.awaitStored(IMAGES / 10, Duration.ofMinutes(3));
            lumen.platform().stop(Platform.Dependency.KAFKA);
            PlatformFixture.sleep(BROKER_OUTAGE.toMillis());
            lumen.platform().start(Platform.Dependency.KAFKA);
            Instant back = Instant.now();

            Duration recovery = recovery("(2) broker stopped 10 s and restarted", watch, back);
            assertThat(recovery).isLessThanOrEqualTo(RECOVERY_LIMIT);
        }
        lumen.assertCompletedExactlyOnce(runId, IMAGES);
        awaitHealthyConsumers();
    }

    @Test
    @Order(3)
    void aWorkerKilledThreeTimesIsTakenOverEachTime() {
        int images = KILL_RUN_IMAGES;
        String runId = lumen.createRun("chaos-kill-worker", PlatformFixture.MANY, images);
        try (StoredResultsWatch watch = StoredResultsWatch.of(lumen, runId)) {
            watch.awaitStored(IMAGES / 10, Duration.ofMinutes(3));
            // Tell the two members apart once, by the partitions worker-service has published results from.
            Set<Integer> worked = partitionsWorkedBy(runId, WORKER, Instant.EPOCH);
            Map<String, Set<Integer>> first = awaitTwoAssignedMembers();
            String survivor = first.entrySet().stream()
                    .filter(member -> java.util.Collections.disjoint(member.getValue(), worked))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(
                            "no member without " + WORKER + "'s partitions " + worked + " in " + first));
            Map<String, Set<Integer>> members = first;
            for (int kill = 1; kill <= 3; kill++) {
                Set<Integer> held = members.entrySet().stream().filter(member -> !member.getKey().equals(survivor))
                        .findFirst().orElseThrow().getValue();
                ManagedProcess worker = lumen.platform().service(WORKER);
                worker.kill(); // SIGKILL: no shutdown hook, no offset commit, no leaving the group
                Instant killed = Instant.now();
                assertThat(worker.isAlive()).isFalse();
                int storedAtKill = watch.stored();
                assertThat(storedAtKill).as("kill %d must fall in the middle of the run", kill).isLessThan(images);
                System.out.printf("run %s: %s killed (%d) after %d of %d stored; it held task partitions %s%n", runId,
                        WORKER, kill, storedAtKill, images, held);

                Duration takeover = takeover(runId, held, killed);
                RECOVERIES.put("(3) worker kill -9 #" + kill + " (takeover)", seconds(takeover));
                System.out.println("(3) kill " + kill + ": the killed worker's partitions resumed " + seconds(takeover)
                        + " after the kill");
                assertThat(takeover).isLessThanOrEqualTo(RECOVERY_LIMIT);

                ManagedProcess restarted = awaitRestarted(WORKER, worker);
                System.out.printf("%s restarted by the supervisor (pid %d)%n", WORKER, restarted.pid());
                members = awaitTwoAssignedMembers();
                assertThat(members).as("the surviving worker kept its membership").containsKey(survivor);
            }
            assertThat(logOf(WORKER)).as("the worker's log says the supervisor restarted it")
                    .contains("lumen: " + WORKER + " exited with status 137").contains("lumen: " + WORKER + " restarted");
        }
        lumen.assertCompletedExactlyOnce(runId, images, Duration.ofMinutes(12));
    }

    @Test
    @Order(4)
    void resultsServiceKilledAndRestartedBySupervisor() {
        String runId = lumen.createRun("chaos-kill-results", PlatformFixture.MANY, IMAGES);
        try (StoredResultsWatch watch = StoredResultsWatch.of(lumen, runId)) {
            watch.awaitStored(IMAGES / 10, Duration.ofMinutes(3));
            ManagedProcess results = lumen.platform().service("results-service");
            results.kill();
            int storedAtKill = watch.stored();
            assertThat(storedAtKill).isLessThan(IMAGES);
            ManagedProcess restarted = awaitRestarted("results-service", results);
            Instant back = Instant.now();
            System.out.printf("results-service killed after %d of %d stored, restarted by the supervisor (pid %d)%n",
                    storedAtKill, IMAGES, restarted.pid());

            Duration recovery = recovery("(4) results-service kill -9, restarted", watch, back);
            assertThat(recovery).isLessThanOrEqualTo(RECOVERY_LIMIT);
        }
        lumen.assertCompletedExactlyOnce(runId, IMAGES);
    }

    @Test
    @Order(5)
    void aLiveWorkerKeepsAnImageThatTakesLongerThanTheSessionTimeout() {
        // RISE without early stopping on many masks: each image keeps its worker busy well beyond the
        // 10 s session timeout, as a D-RISE image on a real detector does.
        String runId = lumen.createRun("chaos-long-image", PlatformFixture.MANY, 1, "rise",
                Map.of("masks", 100_000, "earlyStop", false, "metrics", false));
        lumen.awaitProgress(runId, PlatformFixture::terminal, Duration.ofMinutes(6));
        List<ImageResult> results = lumen.resultRecords(runId).stream().map(lumen::imageResult).toList();
        long longest = results.stream().mapToLong(r -> r.timing().explainMs()).max().orElse(0);
        System.out.printf("run %s: the image took %s ms on worker %s%n", runId,
                results.stream().map(r -> String.valueOf(r.timing().explainMs())).toList(),
                results.stream().map(ImageResult::worker).toList());
        assertThat(longest).as("an image must outlast the session timeout for this to show anything")
                .isGreaterThan(12_000);
        assertThat(results).as("the image explained once: nobody took it away from its live worker").hasSize(1);
        lumen.assertCompletedExactlyOnce(runId, 1);
    }

    /** Time from {@code faultEnd} to the next stored result; recorded for the summary. */
    private static Duration recovery(String fault, StoredResultsWatch watch, Instant faultEnd) {
        Optional<Instant> next = watch.firstGrowthAfter(faultEnd, Duration.ofMinutes(3));
        assertThat(next).as(fault + ": a result stored after the fault ended").isPresent();
        Duration recovery = Duration.between(faultEnd, next.get());
        RECOVERIES.put(fault, seconds(recovery));
        System.out.println(fault + ": next result stored " + seconds(recovery) + " after the fault ended");
        return recovery;
    }

    /**
     * Time from the kill to the first result on a task partition the killed worker held: until then
     * those partitions stall (the broker waits out the dead member's session), after it another worker
     * has them.
     */
    private static Duration takeover(String runId, Set<Integer> held, Instant killed) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            Optional<Instant> first = lumen.resultRecords(runId).stream()
                    .filter(r -> r.timestamp() > killed.toEpochMilli())
                    .filter(r -> held.contains(taskPartition(runId, lumen.imageResult(r).imageId())))
                    .map(r -> Instant.ofEpochMilli(r.timestamp()))
                    .min(Instant::compareTo);
            if (first.isPresent()) {
                return Duration.between(killed, first.get());
            }
            PlatformFixture.sleep(250);
        }
        throw new AssertionError("no result on the killed worker's partitions " + held + " within 2 minutes");
    }

    /** Task partitions on which {@code worker} published results of the run since {@code since}. */
    private static Set<Integer> partitionsWorkedBy(String runId, String worker, Instant since) {
        Set<Integer> partitions = lumen.resultRecords(runId).stream()
                .filter(r -> r.timestamp() >= since.toEpochMilli())
                .map(lumen::imageResult)
                .filter(r -> worker.equals(r.worker()))
                .map(r -> taskPartition(runId, r.imageId()))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(partitions).as(worker + " must hold partitions of the run when it is killed").isNotEmpty();
        return partitions;
    }

    /**
     * The workers' consumer group once it has two members that both hold partitions of
     * {@code lumen.image-tasks}: member id to partitions.
     */
    private static Map<String, Set<Integer>> awaitTwoAssignedMembers() {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        Map<String, Set<Integer>> members = Map.of();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                lumen.platform().endpoints().kafkaBootstrapServers()))) {
            while (Instant.now().isBefore(deadline)) {
                members = new LinkedHashMap<>();
                var group = admin.describeConsumerGroups(List.of(WORKER_GROUP)).all().get().get(WORKER_GROUP);
                for (var member : group.members()) {
                    members.put(member.consumerId(), member.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(Topics.IMAGE_TASKS))
                            .map(org.apache.kafka.common.TopicPartition::partition)
                            .collect(Collectors.toCollection(java.util.TreeSet::new)));
                }
                if (members.size() == 2 && members.values().stream().noneMatch(Set::isEmpty)) {
                    return members;
                }
                PlatformFixture.sleep(250);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe group " + WORKER_GROUP + ": " + e.getMessage(), e);
        }
        throw new AssertionError("group " + WORKER_GROUP + " did not get two assigned members: " + members);
    }

    /** The partition of {@code lumen.image-tasks} a task is on (the producer's default partitioner). */
    private static int taskPartition(String runId, String imageId) {
        byte[] key = Topics.imageTaskKey(runId, imageId).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % TASK_PARTITIONS;
    }

    /** Waits until the supervisor has started {@code instance} again and it answers ready. */
    private static ManagedProcess awaitRestarted(String instance, ManagedProcess killed) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            ManagedProcess now = lumen.platform().service(instance);
            if (now != null && now != killed && now.isAlive() && ready(instance)) {
                return now;
            }
            PlatformFixture.sleep(250);
        }
        throw new AssertionError(instance + " was not restarted within 3 minutes");
    }

    private static boolean ready(String instance) {
        try {
            java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(lumen.platform().baseUrl(instance)
                            + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The reason an instance's consumers are DEGRADED (health check {@code lumen-consumers}), if they are. */
    private static Optional<String> consumerDegradation(String instance) {
        JsonNode health = lumen.health(instance);
        if (health == null) {
            return Optional.empty();
        }
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("lumen-consumers")
                    && check.path("data").path("state").asText().equals("DEGRADED")) {
                return Optional.of(check.path("data").toString());
            }
        }
        return Optional.empty();
    }

    /** After a fault, every consumer reports OK again by itself. */
    private static void awaitHealthyConsumers() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        for (String instance : lumen.platform().instances()) {
            while (consumerDegradation(instance).isPresent()) {
                assertThat(Instant.now()).as(instance + " still DEGRADED: " + consumerDegradation(instance).orElse(""))
                        .isBefore(deadline);
                PlatformFixture.sleep(500);
            }
        }
    }

    private static String logOf(String instance) {
        try {
            return java.nio.file.Files.readString(lumen.platform().service(instance).log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
