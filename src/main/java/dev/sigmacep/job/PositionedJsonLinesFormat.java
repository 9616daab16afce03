package dev.sigmacep.job;

import dev.sigmacep.event.DecodeResult;
import dev.sigmacep.event.SourceFiles;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

import java.io.IOException;

/**
 * JSON Lines read as {@link JsonLinesFormat} reads them; with {@code positioned}, each event of a local,
 * uncompressed file also knows where its record lies there ({@link SourceFiles}), so that a BATCH exchange can carry
 * that position in place of the record (see {@link dev.sigmacep.correlate.RecordReference}). Compressed and remote
 * files are read as plain JSON Lines: reading a record back from them would cost more than carrying it. A
 * {@code StreamFormat} never learns its file's path, so this bulk format makes one for each split, around Flink's own
 * adapter (what {@code FileSource.forRecordStreamFormat} does with a single one).
 */
final class PositionedJsonLinesFormat implements BulkFormat<DecodeResult, FileSourceSplit> {
    private final JsonLinesFormat lines;
    private final boolean positioned;

    /**
     * @param positioned whether events may know their records' positions: only where the records are read back in the
     *                   JVM that read them, in BATCH (an embedded replay)
     */
    PositionedJsonLinesFormat(JsonLinesFormat lines, boolean positioned) {
        this.lines = lines;
        this.positioned = positioned;
    }

    @Override
    public Reader<DecodeResult> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return formatOf(split).createReader(config, split);
    }

    @Override
    public Reader<DecodeResult> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return formatOf(split).restoreReader(config, split);
    }

    private BulkFormat<DecodeResult, FileSourceSplit> formatOf(FileSourceSplit split) {
        Path path = split.path();
        String scheme = path.toUri().getScheme();
        boolean local = scheme == null || scheme.equals(LocalFileSystem.getLocalFsURI().getScheme());
        if (!positioned || !local || StandardDeCompressors.getDecompressorForFileName(path.getPath()) != null) {
            return new StreamFormatAdapter<>(lines);
        }
        int file = SourceFiles.register(LocalFileSystem.getSharedInstance().pathToFile(path).getAbsolutePath());
        return new StreamFormatAdapter<>(lines.forSourceFile(file));
    }

    @Override
    public boolean isSplittable() {
        return lines.isSplittable();
    }

    @Override
    public TypeInformation<DecodeResult> getProducedType() {
        return lines.getProducedType();
    }
}
