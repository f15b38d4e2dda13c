package dev.beex.model.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes labeled text as JSON lines {@code {"id","text","label"}} (UTF-8, '\n'; gzip for *.gz). */
public final class JsonLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLines() {
    }

    /** Writes to a temporary sibling first, so a reader never sees half a file. */
    public static void write(List<LabeledText> records, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600) on POSIX.
        Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw) {
                write(records, out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(List<LabeledText> records, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (LabeledText r : records) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("text", r.text());
                g.writeStringField("label", r.label());
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }
}
