package dev.beex.model.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads labeled user data, chosen by file name (a trailing {@code .gz} is decompressed):
 * <ul>
 *   <li>{@code .jsonl}, {@code .ndjson}, {@code .json}: one JSON object per line,
 *       {@code {"id": ..., "text": "...", "label": "..."}}; {@code id} is optional (the line
 *       number is used), a number or boolean label is read as its text; blank lines are skipped;</li>
 *   <li>{@code .csv} (comma) and {@code .tsv} (tab): a header row naming a {@code text} and a
 *       {@code label} column and optionally {@code id} (any order, case-insensitive, other
 *       columns ignored); RFC 4180 quoting: a field that starts with {@code "} runs to the next
 *       lone {@code "}, {@code ""} inside is one quote, separators and newlines inside are kept.</li>
 * </ul>
 * Input must be UTF-8 (a leading BOM is skipped). Anything malformed throws
 * {@link DataFormatException} with {@code file:line: reason}.
 */
public final class DatasetReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetReader() {
    }

    public static List<LabeledText> read(Path file) throws IOException {
        return read(file, true);
    }

    /**
     * As {@link #read(Path)}; with {@code labelsRequired} false a record may have no label (a JSON
     * line without {@code "label"} or with null, a CSV/TSV without a label column or with an empty
     * one): its label is then null. For texts to score rather than to learn from or evaluate on.
     */
    public static List<LabeledText> read(Path file, boolean labelsRequired) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gz = name.endsWith(".gz");
        if (gz) {
            name = name.substring(0, name.length() - 3);
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such data file");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                     StandardCharsets.UTF_8.newDecoder()
                             .onMalformedInput(CodingErrorAction.REPORT)
                             .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
                return readJsonLines(file.toString(), reader, labelsRequired);
            }
            if (name.endsWith(".csv")) {
                return new CsvTable(file.toString(), reader, ',', labelsRequired).records();
            }
            if (name.endsWith(".tsv")) {
                return new CsvTable(file.toString(), reader, '\t', labelsRequired).records();
            }
        }
        throw new DataFormatException(file + ":0: unknown data format (expected .jsonl, .json, .csv or .tsv, optionally .gz)");
    }

    /** JSON lines from any reader; {@code source} names it in error messages. */
    public static List<LabeledText> readJsonLines(String source, BufferedReader reader) throws IOException {
        return readJsonLines(source, reader, true);
    }

    private static List<LabeledText> readJsonLines(String source, BufferedReader reader, boolean labelsRequired)
            throws IOException {
        List<LabeledText> out = new ArrayList<>();
        long lineNo = 0;
        String line;
        while ((line = readLine(source, reader, lineNo + 1)) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (lineNo == 1 && line.stripLeading().startsWith("[")) {
                throw new DataFormatException(source, lineNo,
                        "a JSON array; expected JSON lines (one {\"text\": ..., \"label\": ...} object per line)");
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DataFormatException(source, lineNo, "invalid JSON (" + e.getOriginalMessage() + ")");
            }
            if (node == null || !node.isObject()) {
                throw new DataFormatException(source, lineNo, "expected a JSON object {\"text\": ..., \"label\": ...}");
            }
            String text = scalar(node, "text", source, lineNo, true);
            String label = scalar(node, "label", source, lineNo, labelsRequired);
            if (label != null && label.isBlank()) {
                label = null;
            }
            String id = scalar(node, "id", source, lineNo, false);
            out.add(new LabeledText(id == null ? Long.toString(lineNo) : id, text, label));
        }
        return out;
    }

    private static String scalar(JsonNode node, String field, String source, long lineNo, boolean required)
            throws DataFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new DataFormatException(source, lineNo, "missing \"" + field + "\"");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw new DataFormatException(source, lineNo, "\"" + field + "\" must be a string, not " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            throw new DataFormatException(source, lineNo, "empty \"" + field + "\"");
        }
        return s;
    }

    private static String readLine(String source, BufferedReader reader, long lineNo) throws IOException {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source, lineNo, "not valid UTF-8");
        }
    }

    /** A small RFC 4180 reader that knows the line each record starts on. */
    private static final class CsvTable {
        private final String source;
        private final Reader in;
        private final char sep;
        private final boolean labelsRequired;
        private long line = 1;
        private int peeked = -2;

        CsvTable(String source, Reader in, char sep, boolean labelsRequired) {
            this.source = source;
            this.in = in;
            this.sep = sep;
            this.labelsRequired = labelsRequired;
        }

        List<LabeledText> records() throws IOException {
            List<String> header = nextRecord();
            if (header == null) {
                throw new DataFormatException(source, 1, "empty file: expected a header row with text and label columns");
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            int textCol = column(header, "text"), labelCol = column(header, "label"), idCol = column(header, "id");
            if (textCol < 0 || (labelCol < 0 && labelsRequired)) {
                throw new DataFormatException(source, 1, "header " + header + " must name a 'text' and a 'label' column"
                        + (sep == ',' && header.size() == 1 && header.get(0).contains("\t") ? " (tab-separated? name the file .tsv)" : ""));
            }
            List<LabeledText> out = new ArrayList<>();
            while (true) {
                long start = line;
                List<String> rec = nextRecord();
                if (rec == null) {
                    return out;
                }
                if (rec.size() == 1 && rec.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (rec.size() != header.size()) {
                    throw new DataFormatException(source, start,
                            "expected " + header.size() + " fields as in the header, found " + rec.size());
                }
                String text = rec.get(textCol), label = labelCol < 0 ? null : rec.get(labelCol);
                if (text.isBlank()) {
                    throw new DataFormatException(source, start, "empty text");
                }
                if (label != null && label.isBlank()) {
                    if (labelsRequired) {
                        throw new DataFormatException(source, start, "empty label");
                    }
                    label = null;
                }
                String id = idCol >= 0 && !rec.get(idCol).isEmpty() ? rec.get(idCol) : Long.toString(start);
                out.add(new LabeledText(id, text, label));
            }
        }

        private static int column(List<String> header, String name) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** The next record's fields, or null at end of input. */
        private List<String> nextRecord() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            while (true) {
                if (c == '"' && field.length() == 0) {
                    long opened = line;
                    // quoted field: runs to the next quote not followed by another quote
                    while (true) {
                        int q = read();
                        if (q < 0) {
                            throw new DataFormatException(source, opened, "unterminated quoted field");
                        }
                        if (q == '"') {
                            if (peek() == '"') {
                                read();
                                field.append('"');
                            } else {
                                break;
                            }
                        } else {
                            if (q == '\n' || (q == '\r' && peek() != '\n')) {
                                line++;
                            }
                            field.append((char) q);
                        }
                    }
                    c = read();
                    if (c >= 0 && c != sep && c != '\n' && c != '\r') {
                        throw new DataFormatException(source, line, "unexpected character '" + (char) c + "' after a closing quote");
                    }
                    continue;
                }
                if (c < 0 || c == '\n' || c == '\r') {
                    fields.add(field.toString());
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    if (c == '\r' || c == '\n') {
                        line++;
                    }
                    return fields;
                }
                if (c == sep) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append((char) c);
                }
                c = read();
            }
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return readRaw();
        }

        private int peek() throws IOException {
            if (peeked == -2) {
                peeked = readRaw();
            }
            return peeked;
        }

        private int readRaw() throws IOException {
            try {
                return in.read();
            } catch (CharacterCodingException e) {
                throw new DataFormatException(source, line, "not valid UTF-8");
            }
        }
    }
}
