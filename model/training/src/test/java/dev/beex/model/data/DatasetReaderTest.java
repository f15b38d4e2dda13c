package dev.beex.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsJsonLinesWithOptionalIdAndSkipsBlankLines() throws IOException {
        Path p = file("a.jsonl", "{\"id\":\"x1\",\"text\":\"hello\",\"label\":\"ham\"}\n\n"
                + "{\"text\":\"caf\u00e9 \\\"quoted\\\"\",\"label\":1}\n");
        assertThat(DatasetReader.read(p)).containsExactly(
                new LabeledText("x1", "hello", "ham"),
                new LabeledText("3", "caf\u00e9 \"quoted\"", "1"));
    }

    @Test
    void textsToScoreMayComeWithoutLabels() throws IOException {
        Path jsonl = file("t.jsonl", "{\"text\":\"hello\"}\n{\"text\":\"hi\",\"label\":\"ham\"}\n{\"text\":\"yo\",\"label\":\"\"}\n");
        List<LabeledText> j = DatasetReader.read(jsonl, false);
        assertThat(j).extracting(LabeledText::label).containsExactly(null, "ham", null);
        assertThatThrownBy(() -> DatasetReader.read(jsonl)).hasMessageContaining("t.jsonl:1").hasMessageContaining("missing \"label\"");
        Path csv = file("t.csv", "id,text\na,first\nb,\"second, quoted\"\n");
        assertThat(DatasetReader.read(csv, false)).extracting(LabeledText::text).containsExactly("first", "second, quoted");
        assertThat(DatasetReader.read(csv, false)).extracting(LabeledText::label).containsOnlyNulls();
        assertThatThrownBy(() -> DatasetReader.read(csv)).hasMessageContaining("'label' column");
    }

    @Test
    void malformedJsonLineNamesFileLineAndReason() throws IOException {
        Path bad = file("bad.jsonl", "{\"text\":\"ok\",\"label\":\"a\"}\n{\"text\": \"broken\n");
        assertThatThrownBy(() -> DatasetReader.read(bad))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(bad + ":2: invalid JSON");
        Path missing = file("missing.jsonl", "{\"text\":\"ok\"}\n");
        assertThatThrownBy(() -> DatasetReader.read(missing))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(missing + ":1: missing \"label\"");
        Path array = file("array.jsonl", "{\"text\":\"ok\",\"label\":\"a\"}\n[1,2]\n");
        assertThatThrownBy(() -> DatasetReader.read(array))
                .hasMessageStartingWith(array + ":2: expected a JSON object");
        Path array1 = file("array.json", "[{\"text\":\"ok\",\"label\":\"a\"}]\n");
        assertThatThrownBy(() -> DatasetReader.read(array1))
                .hasMessageStartingWith(array1 + ":1: a JSON array; expected JSON lines");
        Path nested = file("nested.jsonl", "{\"text\":{\"a\":1},\"label\":\"a\"}\n");
        assertThatThrownBy(() -> DatasetReader.read(nested))
                .hasMessage(nested + ":1: \"text\" must be a string, not object");
    }

    @Test
    void readsCsvWithQuotingEmbeddedNewlinesAndAnyColumnOrder() throws IOException {
        Path p = file("a.csv", "\uFEFFlabel,ID,text,extra\r\n"
                + "spam,m1,\"Buy, now \"\"cheap\"\"\",x\r\n"
                + "ham,,\"line one\nline two\",y\r\n"
                + "\r\n"
                + "ham,m3,plain \"quote\" inside,z\n");
        List<LabeledText> rows = DatasetReader.read(p);
        assertThat(rows).containsExactly(
                new LabeledText("m1", "Buy, now \"cheap\"", "spam"),
                new LabeledText("3", "line one\nline two", "ham"),
                new LabeledText("m3", "plain \"quote\" inside", "ham"));
    }

    @Test
    void readsTsvAndGzip() throws IOException {
        Path p = dir.resolve("a.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write("text\tlabel\nhello, world\tpositive\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(DatasetReader.read(p)).containsExactly(new LabeledText("2", "hello, world", "positive"));
    }

    @Test
    void malformedCsvNamesFileLineAndReason() throws IOException {
        Path fields = file("fields.csv", "text,label\nok,a\n\"multi\nline\",b\nthree,fields,here\n");
        assertThatThrownBy(() -> DatasetReader.read(fields))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(fields + ":5: expected 2 fields as in the header, found 3");
        Path open = file("open.csv", "text,label\nok,a\n\"never closed,b\nmore\n");
        assertThatThrownBy(() -> DatasetReader.read(open))
                .hasMessage(open + ":3: unterminated quoted field");
        Path after = file("after.csv", "text,label\n\"quoted\"x,a\n");
        assertThatThrownBy(() -> DatasetReader.read(after))
                .hasMessage(after + ":2: unexpected character 'x' after a closing quote");
        Path header = file("header.csv", "body,class\nhi,a\n");
        assertThatThrownBy(() -> DatasetReader.read(header))
                .hasMessageStartingWith(header + ":1: header [body, class] must name a 'text' and a 'label' column");
        Path empty = file("empty.tsv", "text\tlabel\nhi\t\n");
        assertThatThrownBy(() -> DatasetReader.read(empty)).hasMessage(empty + ":2: empty label");
    }

    @Test
    void invalidUtf8AndUnknownExtensionAreReported() throws IOException {
        Path p = dir.resolve("latin1.jsonl");
        Files.write(p, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'});
        assertThatThrownBy(() -> DatasetReader.read(p)).hasMessage(p + ":1: not valid UTF-8");
        Path txt = file("data.txt", "x");
        assertThatThrownBy(() -> DatasetReader.read(txt)).hasMessageContaining("unknown data format");
    }

    @Test
    void jsonLinesRoundTrip() throws IOException {
        List<LabeledText> data = List.of(new LabeledText("a", "t\u00e9xt \"q\"\n2", "x"), new LabeledText("b", "y", "z"));
        Path p = dir.resolve("rt.jsonl.gz");
        JsonLines.write(data, p);
        assertThat(DatasetReader.read(p)).isEqualTo(data);
    }
}
