package dev.sigmacep;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/Dockerfile and deploy/kubernetes/flinkdeployment.yaml agree with the build (no image is built here): the
 * base image's Flink is the pom's, the copied jar is the one the pom's cluster-jar execution writes, the deployment
 * runs that jar from where the image puts it with the cluster jar's main class and a job file the image holds, and
 * the Prometheus reporter is set alike in both.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("");

    @Test
    void dockerfileAndFlinkDeploymentMatchTheBuild() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String flinkVersion = first(pom, "<flink\\.version>([^<]+)</flink\\.version>");
        String jar = first(pom, "<artifactId>([^<]+)</artifactId>") + "-" + first(pom, "</artifactId>\\s*<version>([^<]+)</version>")
                + "-" + first(pom, "<shadedClassifierName>(cluster)</shadedClassifierName>") + ".jar";
        String clusterMain = first(pom.substring(pom.indexOf("<id>cluster-jar</id>")), "<mainClass>([^<]+)</mainClass>");

        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        assertThat(first(dockerfile, "ARG FLINK_IMAGE=flink:([0-9.]+)-java17")).isEqualTo(flinkVersion);
        Map<String, String> copies = new java.util.LinkedHashMap<>();
        Matcher copy = Pattern.compile("(?m)^COPY (?:--chown=\\S+ )?(\\S+) (\\S+)$").matcher(dockerfile);
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
            assertThat(ROOT.resolve(copy.group(1).replace("target/" + jar, "pom.xml"))).as(copy.group(1)).exists();
        }
        assertThat(copies).containsEntry("target/" + jar, "/opt/flink/usrlib/sigma-cep.jar")
                .containsEntry("rules", "/opt/sigma-cep/rules").containsEntry("jobs", "/opt/sigma-cep/jobs");

        Map<String, Object> deployment = new Yaml().load(Files.readString(ROOT.resolve("deploy/kubernetes/flinkdeployment.yaml")));
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat(spec.get("flinkVersion")).isEqualTo("v" + flinkVersion.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local://" + copies.get("target/" + jar));
        assertThat(job.get("entryClass")).isEqualTo(clusterMain);
        assertThat(ROOT.resolve("src/main/java/" + clusterMain.replace('.', '/') + ".java")).exists();
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        List<String> args = new ArrayList<>();
        for (Object arg : (List<?>) job.get("args")) {
            args.add(arg.toString());
        }
        String jobFile = args.get(args.indexOf("--config") + 1);
        assertThat(jobFile).startsWith("/opt/sigma-cep/jobs/");
        assertThat(ROOT.resolve("jobs").resolve(jobFile.substring("/opt/sigma-cep/jobs/".length()))).exists();

        Map<String, Object> config = map(spec.get("flinkConfiguration"));
        assertThat(config).containsKeys("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("state.backend.rocksdb.use-bloom-filter", "true"); // docs/operations.md, "State"
        for (String key : List.of("factory.class", "port", "filterLabelValueCharacters")) {
            String value = config.get("metrics.reporter.prom." + key).toString();
            assertThat(dockerfile).as(key).contains("'metrics.reporter.prom." + key + ": "
                    + (key.equals("factory.class") ? value : "\"" + value + "\"") + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static String first(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }
}
