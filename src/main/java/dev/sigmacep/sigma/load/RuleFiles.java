package dev.sigmacep.sigma.load;

import dev.sigmacep.sigma.rule.RuleError;
import dev.sigmacep.sigma.rule.RuleSource;
import dev.sigmacep.yaml.SafeYaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** Reads rule files from files and directory trees, turning every problem into a RuleError. */
final class RuleFiles {
    private RuleFiles() {
    }

    /**
     * Reads every *.yml / *.yaml under the given files or directories (recursively, following links, each tree
     * sorted by path; a file given by name is read whatever its extension). Never throws: a path that cannot be read
     * (missing, unreadable, a link loop, larger than {@link SafeYaml#MAX_CODE_POINTS} bytes, not UTF-8) becomes a
     * RuleError, and the walk goes on.
     */
    static RuleLoader.SourceSet read(List<Path> paths) {
        List<RuleSource> sources = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                for (Path file : walk(path, errors, skipped)) {
                    readFile(file, sources, errors);
                }
            } else {
                readFile(path, sources, errors);
            }
        }
        return new RuleLoader.SourceSet(sources, errors, skipped);
    }

    private static List<Path> walk(Path root, List<RuleError> errors, List<String> skipped) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (isYaml(file)) {
                                files.add(file);
                            } else {
                                skipped.add(file.toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            errors.add(new RuleError(file.toString(), null, "cannot read: " + e));
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            errors.add(new RuleError(root.toString(), null, "cannot list directory: " + e));
        }
        files.sort(null);
        skipped.sort(null);
        return files;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    private static void readFile(Path file, List<RuleSource> sources, List<RuleError> errors) {
        try {
            long size = Files.size(file);
            if (size > SafeYaml.MAX_CODE_POINTS) {
                errors.add(new RuleError(file.toString(), null, "file is " + size + " bytes, more than the "
                        + SafeYaml.MAX_CODE_POINTS + " allowed"));
                return;
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            sources.add(new RuleSource(file.toString(), text));
        } catch (CharacterCodingException e) {
            errors.add(new RuleError(file.toString(), null, "file is not valid UTF-8"));
        } catch (IOException e) {
            errors.add(new RuleError(file.toString(), null, "cannot read file: " + e));
        }
    }
}
