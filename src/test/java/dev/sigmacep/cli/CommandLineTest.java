package dev.sigmacep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigmacep.kafka.TestBroker;
import dev.sigmacep.testing.ConsoleCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.sigmacep.testing.FlatSysmon.T0;
import static dev.sigmacep.testing.FlatSysmon.connection;
import static dev.sigmacep.testing.FlatSysmon.processStart;
import static org.assertj.core.api.Assertions.assertThat;

/** The commands as a user runs them: arguments in, exit status and printed output out. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WERMGR = "C:\\Windows\\System32\\wermgr.exe";

    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ConsoleCapture.Captured<Integer> run = ConsoleCapture.of(() -> Main.commandLine().execute(args));
        if (run.thrown() != null) {
            throw new IllegalStateException("picocli returns an exit status, it does not throw", run.thrown());
        }
        return new Run(run.result(), run.out(), run.err());
    }

    private static List<String> chainRecords() {
        return List.of(
                processStart("H1", T0, "{g1}", WERMGR, "\"" + WERMGR + "\"", "{p}", "C:\\loader.exe"),
                connection("H1", T0.plusSeconds(20), "{g1}", WERMGR, "203.0.113.50"),
                processStart("H1", T0.plus(Duration.ofMinutes(5)), "{c1}", "C:\\Windows\\System32\\cmd.exe", "cmd",
                        "{g1}", WERMGR));
    }

    @Test
    void validateTheProjectRules() throws Exception {
        Run run = run("rules", "validate", "rules", "--json");
        assertThat(run.status()).isZero();
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("loaded").asInt()).isEqualTo(8);
        assertThat(result.get("rejected")).isEmpty();
    }

    @Test
    void validateReportsEveryBadRuleAndExitsOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), """
                title: good
                id: 11111111-1111-1111-1111-111111111111
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\\\a.exe'}, condition: sel}
                """);
        Files.writeString(dir.resolve("bad.yml"), """
                title: bad
                id: 22222222-2222-2222-2222-222222222222
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|nosuchmodifier: 'a'}, condition: sel}
                """);
        Run run = run("rules", "validate", dir.toString(), "--json");
        assertThat(run.status()).isEqualTo(1);
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("loaded").asInt()).isEqualTo(1);
        assertThat(result.get("rejected")).hasSize(1);
        JsonNode rejected = result.get("rejected").get(0);
        assertThat(rejected.get("path").asText()).endsWith("bad.yml");
        assertThat(rejected.get("id").asText()).isEqualTo("22222222-2222-2222-2222-222222222222");
        assertThat(rejected.get("reason").asText()).contains("nosuchmodifier");
    }

    /** Issue 11: hostile rule files beside the project's rules, each rejected with its path, id and reason. */
    @Test
    void validateReportsHostileRulesOneByOneAndTheGoodOnesStillLoad(@TempDir Path dir) throws Exception {
        // 45 aliases (under the cap of 50), 9^6 nodes once expanded
        Files.writeString(dir.resolve("bomb.yml"), "title: lol\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                + "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n");
        String rule = "logsource: {product: windows, category: process_creation}\ndetection:\n";
        Files.writeString(dir.resolve("backreference.yml"), "title: t\nid: hostile-regex\n" + rule
                + "    sel: {CommandLine|re: '(a)\\1'}\n    condition: sel\n");
        Files.writeString(dir.resolve("nots.yml"), "title: t\nid: hostile-nots\n" + rule
                + "    sel: {Image: x}\n    condition: '" + "not ".repeat(10_000) + "sel'\n");
        Files.writeString(dir.resolve("self.yml"), "title: t\nid: hostile-self\nname: self\n"
                + "correlation: {type: temporal, rules: [self], group-by: [Computer], timespan: 5m}\n");
        Files.writeString(dir.resolve("wer_copy.yml"), Files.readString(Path.of("rules/wer/wer_noargs_start.yml")));

        Run run = run("rules", "validate", "rules", dir.toString(), "--json");

        assertThat(run.status()).isEqualTo(1);
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("loaded").asInt()).isEqualTo(8);
        List<String> rejected = new java.util.ArrayList<>();
        result.get("rejected").forEach(r -> rejected.add(Path.of(r.get("path").asText()).getFileName() + " | "
                + r.get("id").asText() + " | " + r.get("reason").asText()));
        String noargsId = "2f9a6c1e-7b4d-4e0a-9c53-8d1f0b6e3a71"; // rules/wer/wer_noargs_start.yml
        assertThat(rejected).containsExactlyInAnyOrder(
                "bomb.yml | null | YAML rejected: the document expands to more than 200000 nodes (alias explosion?)",
                "backreference.yml | hostile-regex | search identifier 'sel', field 'CommandLine|re': regex in "
                        + "'CommandLine|re' uses a back-reference (\\1), which the linear-time regex engine cannot run",
                "nots.yml | hostile-nots | condition '" + "not ".repeat(30) + "...' is nested deeper than 50 levels"
                        + " (at column 201)",
                "self.yml | hostile-self | correlation chain loops back to itself",
                "wer_copy.yml | " + noargsId + " | duplicate id '" + noargsId + "', already used in "
                        + Path.of("rules/wer/wer_noargs_start.yml"));
    }

    @Test
    void rulesTestCountsMatchesPerRule(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.ndjson");
        Files.write(events, chainRecords());
        Run run = run("rules", "test", "--rules", "rules", "--events", events.toString(), "--json");
        assertThat(run.status()).isZero();
        assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree("""
                {"events":3,"dead_letters":0,"matches":{
                  "2f9a6c1e-7b4d-4e0a-9c53-8d1f0b6e3a71":1,
                  "396f6630-f3ac-44e3-bfc8-1b161bc00c4e":1,
                  "5e7b9f30-1c2d-4a8e-8f6b-2a9d4c1e7f08":1,
                  "8c4e2d17-3a6b-4f59-b0e8-1d7c9a2f4b65":1}}
                """));
    }

    @Test
    void replayWritesAlertsDeadLettersAndASummary(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.ndjson");
        List<String> records = new java.util.ArrayList<>(chainRecords());
        records.add(1, "this is not json");
        Files.write(input, records);
        Path alerts = dir.resolve("out/alerts.ndjson");
        Path deadLetters = dir.resolve("dead.ndjson");
        Run run = run("replay", "--input", input.toString(), "--output", alerts.toString(),
                "--dead-letter", deadLetters.toString(), "--quiet", "--parallelism", "1");

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = Files.readAllLines(alerts);
        assertThat(lines).hasSize(6);
        assertThat(lines.stream().map(l -> read(l).get("rule_name").asText()))
                .containsExactlyInAnyOrder("wer_noargs_start", "wer_outbound_connection", "wer_child_shell",
                        "null", "wer_masquerade_netconn", "wer_masquerade_chain");
        JsonNode dead = read(Files.readAllLines(deadLetters).get(0));
        assertThat(dead.get("kind").asText()).isEqualTo("dead-letter");
        assertThat(dead.get("reason").asText()).startsWith("not JSON");
        assertThat(dead.get("record").asText()).isEqualTo("this is not json");
        assertThat(run.err()).contains("sigma-cep replay summary").containsPattern("dead-lettered\\s+1")
                .containsPattern("events decoded\\s+3").containsPattern("wer_masquerade_chain\\s+1");
    }

    @Test
    void replayRejectsAMissingInputWithAClearMessage() {
        Run run = run("replay", "--input", "no/such/file.ndjson");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("sigma-cep: input not found: no/such/file.ndjson");
    }

    @Test
    void replayRejectsMissingRules(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.ndjson");
        Files.write(input, chainRecords());
        Run run = run("replay", "--input", input.toString(), "--rules", "no/such/rules");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("sigma-cep: rules not found: no/such/rules");
    }

    /**
     * A job file's paths are relative to the file, not to the working directory (here the project's, which has a
     * {@code rules/} of its own): rules, input and output all beside the job file.
     */
    @Test
    void aJobFilesPathsAreRelativeToItsDirectory(@TempDir Path dir) throws Exception {
        Path jobs = Files.createDirectories(dir.resolve("jobs"));
        Files.createDirectories(dir.resolve("detections"));
        Files.writeString(dir.resolve("detections/wermgr.yml"), """
                title: wermgr.exe started
                id: 33333333-3333-3333-3333-333333333333
                name: test_wermgr_start
                logsource: {product: windows, category: process_creation}
                detection: {sel: {Image|endswith: '\\wermgr.exe'}, condition: sel}
                """);
        Files.createDirectories(dir.resolve("telemetry"));
        Files.write(dir.resolve("telemetry/events.ndjson"), chainRecords());
        Path job = jobs.resolve("hunt.yaml");
        Files.writeString(job, """
                rules: [../detections]
                parallelism: 1
                input: {paths: [../telemetry]}
                output: {alerts: alerts.ndjson}
                """);

        Run run = run("replay", "--config", job.toString(), "--quiet");
        assertThat(run.status()).as(run.err()).isZero();
        List<String> alerts = Files.readAllLines(jobs.resolve("alerts.ndjson"));
        assertThat(alerts).hasSize(1);
        assertThat(read(alerts.get(0)).get("rule_name").asText()).isEqualTo("test_wermgr_start");

        // "rules" names the project's rules/ in the working directory, but nothing beside the job file
        Files.writeString(job, "rules: [rules]\ninput: {paths: [../telemetry]}\n");
        Run beside = run("replay", "--config", job.toString(), "--quiet");
        assertThat(beside.status()).isEqualTo(2);
        assertThat(beside.err()).contains("sigma-cep: rules not found: " + jobs.toAbsolutePath().resolve("rules"));
    }

    /** {@code run} checks the topics before it starts the job, and names what is missing and where. */
    @Test
    void runReportsMissingKafkaTopicsAndExitsTwo(@TempDir Path dir) throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            broker.createTopic("sysmon", 1);
            Path job = dir.resolve("kafka.yaml");
            // the default topics: sysmon, sigma-cep-alerts and sigma-cep-dead-letters
            Files.writeString(job, "kafka:\n  bootstrap-servers: " + broker.bootstrapServers() + "\n");

            Run run = run("run", "--config", job.toString());
            assertThat(run.status()).isEqualTo(2);
            assertThat(run.err()).contains("sigma-cep: missing Kafka topics at " + broker.bootstrapServers()
                    + " (kafka.bootstrap-servers): sigma-cep-alerts (kafka.alerts-topic), sigma-cep-dead-letters"
                    + " (kafka.dead-letter-topic); create them before starting the job, or correct the configuration");
            assertThat(run.out()).isEmpty();
            assertThat(broker.topics()).containsExactly("sysmon");
        }
    }

    @Test
    void runReportsBrokersThatDoNotAnswer(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path job = dir.resolve("kafka.yaml");
        // the admin client gives up after 3 s instead of the check's 30 s
        Files.writeString(job, """
                kafka:
                  bootstrap-servers: 127.0.0.1:%d
                  properties: {default.api.timeout.ms: 3000, request.timeout.ms: 2000}
                """.formatted(port));

        Run run = run("run", "--config", job.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("sigma-cep: no answer from Kafka at 127.0.0.1:" + port
                + " (kafka.bootstrap-servers) while checking the topics: ");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
