package dev.sigmacep;

import dev.sigmacep.field.FieldSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No import cycle between the project's packages (see docs/architecture.md): the main classes are read with the JDK's
 * jdeps, their dependencies grouped by package, and every strongly connected group of packages is reported with the
 * class dependencies that close it.
 */
class PackageCyclesTest {
    /** a line of {@code jdeps -verbose:class}: {@code   a.b.C   -> d.e.F   classes} */
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(dev\\.sigmacep\\.\\S+)\\s+->\\s+(dev\\.sigmacep\\.\\S+)\\s");

    @Test
    void packagesDependOnEachOtherOneWay() throws Exception {
        Map<String, Map<String, Set<String>>> graph = packageGraph(mainClasses());
        assertThat(graph.getOrDefault("dev.sigmacep.event", Map.of())).as("jdeps output was read")
                .containsKey("dev.sigmacep.field");

        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                StringBuilder cycle = new StringBuilder("cycle between " + component + ":");
                for (String from : component) {
                    for (Map.Entry<String, Set<String>> edge : graph.get(from).entrySet()) {
                        if (component.contains(edge.getKey())) {
                            cycle.append("\n  ").append(from).append(" -> ").append(edge.getKey()).append(": ")
                                    .append(String.join(", ", edge.getValue()));
                        }
                    }
                }
                cycles.add(cycle.toString());
            }
        }
        assertThat(cycles).as("package cycles (make the dependency one-way: move the shared piece down)").isEmpty();
    }

    private static Path mainClasses() throws URISyntaxException {
        return Path.of(FieldSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** package -> (package it depends on -> the class dependencies behind that, "A -> B") */
    private static Map<String, Map<String, Set<String>>> packageGraph(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not available: run the tests on a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-e", "dev\\.sigmacep\\..*",
                classes.toString());
        assertThat(status).as("jdeps exit status; stderr: %s", err).isZero();
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = DEPENDENCY.matcher(line);
            if (m.find()) {
                String from = packageOf(m.group(1));
                String to = packageOf(m.group(2));
                graph.computeIfAbsent(to, p -> new TreeMap<>());
                if (!from.equals(to)) {
                    graph.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>())
                            .add(simpleName(m.group(1)) + " -> " + simpleName(m.group(2)));
                }
            }
        }
        return graph;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simpleName(String className) {
        String name = className.substring(className.lastIndexOf('.') + 1);
        return name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                visit(node, graph, index, low, stack, components);
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    @Test
    void aCycleIsFound() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        graph.put("a", new TreeMap<>(Map.of("b", Set.of("A -> B"))));
        graph.put("b", new TreeMap<>(Map.of("c", Set.of("B -> C"))));
        graph.put("c", new TreeMap<>(Map.of("a", Set.of("C -> A"))));
        graph.put("d", new TreeMap<>(Map.of("a", Set.of("D -> A"))));
        assertThat(stronglyConnected(graph).stream().filter(c -> c.size() > 1).map(Set::toString)
                .collect(Collectors.toList())).containsExactly("[a, b, c]");
    }
}
