package dev.sigmacep.detect;

import dev.sigmacep.sigma.SigmaRuleException;
import dev.sigmacep.sigma.load.RuleLoader;
import dev.sigmacep.sigma.match.MatchContext;
import dev.sigmacep.serialize.Utf8;
import dev.sigmacep.sigma.rule.RuleSource;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a job runs, as rule-file texts: what travels to the operators, which compile them in {@code open()}.
 * (Shipping text rather than compiled objects keeps the job graph small and lets rule updates arrive the same way.)
 */
public final class RuleSet implements Serializable {
    private final List<RuleSource> sources;
    private final MatchContext context;
    private transient DetectionModel model;

    public RuleSet(List<RuleSource> sources, MatchContext context) {
        this.sources = List.copyOf(sources);
        this.context = context;
    }

    /** The rule files as read. */
    public List<RuleSource> sources() {
        return sources;
    }

    /** The placeholder values for {@code expand}. */
    public MatchContext context() {
        return context;
    }

    /**
     * The rules in files or directories, with placeholder values for {@code expand} from a pySigma-style file
     * (null: none).
     *
     * @throws IllegalArgumentException naming a missing path, a pack without rule files, or bad placeholders
     */
    public static RuleSet fromFiles(List<Path> paths, Path placeholders) throws IOException {
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("rules not found: " + path);
            }
        }
        List<RuleSource> sources = RuleLoader.readSources(paths);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no Sigma rule files (*.yml, *.yaml) in " + paths);
        }
        return new RuleSet(sources, placeholders(placeholders));
    }

    /** Placeholder values from a pySigma-style file; no values when {@code file} is null. */
    public static MatchContext placeholders(Path file) throws IOException {
        if (file == null) {
            return MatchContext.empty();
        }
        try {
            return RuleLoader.placeholdersFromYaml(file);
        } catch (SigmaRuleException e) {
            throw new IllegalArgumentException("placeholders " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rules loaded and compiled. A JVM compiles equal rule sets once: the client and every subtask of a mini
     * cluster, or the slots of one TaskManager, share the model (it is thread-safe; matching keeps its scratch
     * state per thread). Compiling the whole SigmaHQ pack takes seconds and ~60 MB, so doing it per subtask cost
     * both several times over.
     */
    public synchronized DetectionModel model() {
        if (model == null) {
            model = COMPILED.get(new Key(sources, context));
        }
        return model;
    }

    /**
     * Java serialization writes the rule texts as one array of UTF-8 bytes. Its default form writes a String a char
     * at a time in Java code, and a job's functions are serialized and deserialized several times on the way to
     * its tasks (closure check, job graph, submission, each subtask): for the ~4 MB of the SigmaHQ pack, on a JVM
     * that has just started, about a tenth of a second of the sample replay's start ({@code docs/benchmarks.md},
     * round 11).
     */
    private Object writeReplace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(bytes);
        try {
            out.writeInt(sources.size());
            for (RuleSource source : sources) {
                Utf8.write(out, source.path());
                Utf8.write(out, source.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return new SerializedForm(bytes.toByteArray(), context);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a RuleSet is read through its serialized form");
    }

    private record SerializedForm(byte[] sources, MatchContext context) implements Serializable {
        private Object readResolve() throws IOException {
            DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(new ByteArrayInputStream(sources));
            int count = in.readInt();
            List<RuleSource> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                read.add(new RuleSource(Utf8.read(in), Utf8.read(in)));
            }
            return new RuleSet(read, context);
        }
    }

    private record Key(List<RuleSource> sources, MatchContext context) {
    }

    /** The few rule sets a JVM runs; the least recently used goes first. */
    private static final CompiledModels COMPILED = new CompiledModels(4);

    private static final class CompiledModels {
        private final int capacity;
        private final java.util.LinkedHashMap<Key, DetectionModel> models = new java.util.LinkedHashMap<>(8, 0.75f, true);
        // a live rule update changes a file or two: the next model compiles only those
        private final RuleLoader.Reuse lastFiles = new RuleLoader.Reuse();

        CompiledModels(int capacity) {
            this.capacity = capacity;
        }

        /** Compiles under the lock, so subtasks opening together wait for one compilation instead of each doing it. */
        synchronized DetectionModel get(Key key) {
            DetectionModel model = models.get(key);
            if (model == null) {
                model = DetectionModel.build(key.sources(), key.context(), lastFiles);
                models.put(key, model);
                if (models.size() > capacity) {
                    models.remove(models.keySet().iterator().next());
                }
            }
            return model;
        }
    }
}
