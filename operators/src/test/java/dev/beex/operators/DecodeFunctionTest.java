package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.SourcePosition;
import dev.beex.schemas.TextRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {

    private static final long KAFKA_TS = 1_700_000_000_000L;

    private static RawRecord raw(byte[] value, byte[] key, long offset) {
        return new RawRecord(value, key, "texts", 2, offset, KAFKA_TS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, TextRecord> harness(InputFormat format, int maxBytes)
            throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction(format, maxBytes));
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, TextRecord> h) {
        var side = h.getSideOutput(OutputTags.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void textFormatUsesKeyAsIdAndKafkaTimestamp() throws Exception {
        var h = harness(InputFormat.TEXT, 1024);
        h.processElement(raw(utf8("héllo wörld ✓"), utf8("msg-1"), 7), 0);
        h.processElement(raw(utf8("no key here"), null, 8), 0);

        List<TextRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getId()).isEqualTo("msg-1");
        assertThat(out.get(0).getText()).isEqualTo("héllo wörld ✓");
        assertThat(out.get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(KAFKA_TS));
        assertThat(out.get(0).getSource()).isEqualTo(new SourcePosition("texts", 2, 7L));
        assertThat(out.get(1).getId()).isEqualTo("texts-2-8");
        assertThat(deadLetters(h)).isEmpty();
    }

    @Test
    void jsonFormatReadsIdTextTimeAndCarriesOtherFieldsAsAttributes() throws Exception {
        var h = harness(InputFormat.JSON, 1024);
        h.processElement(raw(utf8("{\"id\":\"a1\",\"text\":\"buy now\",\"eventTime\":1234,"
                + "\"user\":\"bob\",\"score\":3,\"attributes\":{\"lang\":\"en\"}}"), null, 1), 0);
        h.processElement(raw(utf8("{\"id\":42,\"text\":\"hi\",\"eventTime\":\"2026-01-02T03:04:05Z\"}"), null, 2), 0);
        h.processElement(raw(utf8("{\"text\":\"no id\"}"), utf8("k9"), 3), 0);

        List<TextRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(3);
        assertThat(out.get(0).getId()).isEqualTo("a1");
        assertThat(out.get(0).getText()).isEqualTo("buy now");
        assertThat(out.get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(out.get(0).getAttributes()).isEqualTo(Map.of("user", "bob", "score", "3", "lang", "en"));
        assertThat(out.get(1).getId()).isEqualTo("42");
        assertThat(out.get(1).getEventTime()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(out.get(1).getAttributes()).isNull();
        assertThat(out.get(2).getId()).isEqualTo("k9");
        assertThat(out.get(2).getEventTime()).isEqualTo(Instant.ofEpochMilli(KAFKA_TS));
    }

    @Test
    void avroFormatRoundTripsSingleObjectEncoding() throws Exception {
        TextRecord in = TextRecord.newBuilder().setId("x").setText("avro text")
                .setEventTime(Instant.ofEpochMilli(99)).setAttributes(Map.of("a", "b")).build();
        byte[] bytes = new AvroSingleObjectSerializationSchema<>(TextRecord.class).serialize(in);
        var h = harness(InputFormat.AVRO, 1024);
        h.processElement(raw(bytes, null, 5), 0);

        List<TextRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        TextRecord r = out.get(0);
        assertThat(r.getId()).isEqualTo("x");
        assertThat(r.getText()).isEqualTo("avro text");
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(99));
        assertThat(r.getAttributes()).isEqualTo(Map.of("a", "b"));
        assertThat(r.getSource()).isEqualTo(new SourcePosition("texts", 2, 5L));
    }

    @Test
    void badInputGoesToDeadLettersWithReasonPositionAndBytes() throws Exception {
        byte[] invalidUtf8 = {'o', 'k', (byte) 0xC3, (byte) 0x28};
        var text = harness(InputFormat.TEXT, 16);
        text.processElement(raw(invalidUtf8, utf8("k"), 10), 0);
        text.processElement(raw(utf8("   \n\t "), null, 11), 0);
        text.processElement(raw(utf8(""), null, 12), 0);
        text.processElement(raw(utf8("seventeen bytes!!"), null, 13), 0);
        text.processElement(raw(null, utf8("tomb"), 14), 0);
        text.processElement(raw(utf8("sixteen bytes!!!"), null, 15), 0); // exactly at the limit: fine

        assertThat(text.extractOutputValues()).extracting(TextRecord::getText).containsExactly("sixteen bytes!!!");
        List<DeadLetter> dl = deadLetters(text);
        assertThat(dl).extracting(DeadLetter::getReason).containsExactly(
                "INVALID_UTF8", "EMPTY_TEXT", "EMPTY_TEXT", "TEXT_TOO_LARGE", "UNDECODABLE");
        DeadLetter first = dl.get(0);
        assertThat(first.getSource()).isEqualTo(new SourcePosition("texts", 2, 10L));
        assertThat(first.getSourceTimestamp()).isEqualTo(KAFKA_TS);
        assertThat(ModelValidator.copy(first.getValue())).isEqualTo(invalidUtf8);
        assertThat(ModelValidator.copy(first.getKey())).isEqualTo(utf8("k"));
        assertThat(dl.get(3).getDetail()).contains("17 bytes", "limit 16");
    }

    @Test
    void badJsonAndAvroGoToDeadLetters() throws Exception {
        var json = harness(InputFormat.JSON, 16);
        json.processElement(raw(utf8("{\"id\":\"1\",\"text\":"), null, 1), 0);      // truncated
        json.processElement(raw(utf8("[1,2]"), null, 2), 0);                       // not an object
        json.processElement(raw(utf8("{\"id\":\"3\",\"body\":\"x\"}"), null, 3), 0); // no text
        json.processElement(raw(utf8("{\"text\":5}"), null, 4), 0);                 // text not a string
        json.processElement(raw(utf8("{\"text\":\"\"}"), null, 5), 0);
        json.processElement(raw(utf8("{\"text\":\"ääääääääää\"}"), null, 6), 0);   // 20 UTF-8 bytes
        json.processElement(raw(new byte[] {'{', (byte) 0xFF, '}'}, null, 7), 0);
        json.processElement(raw(utf8("{\"text\":\"ok\",\"eventTime\":\"yesterday\"}"), null, 8), 0);
        assertThat(json.extractOutputValues()).isEmpty();
        assertThat(deadLetters(json)).extracting(DeadLetter::getReason).containsExactly(
                "UNDECODABLE", "UNDECODABLE", "MISSING_TEXT", "MISSING_TEXT", "EMPTY_TEXT", "TEXT_TOO_LARGE",
                "INVALID_UTF8", "UNDECODABLE");

        TextRecord valid = TextRecord.newBuilder().setId("x").setText("fine").setEventTime(Instant.EPOCH).build();
        byte[] good = new AvroSingleObjectSerializationSchema<>(TextRecord.class).serialize(valid);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        byte[] wrongHeader = good.clone();
        wrongHeader[3] ^= 0x55; // schema fingerprint byte: unknown schema
        var avro = harness(InputFormat.AVRO, 16);
        avro.processElement(raw(utf8("plain text is not avro"), null, 1), 0);
        avro.processElement(raw(truncated, null, 2), 0);
        avro.processElement(raw(wrongHeader, null, 3), 0);
        avro.processElement(raw(good, null, 4), 0);
        assertThat(avro.extractOutputValues()).extracting(TextRecord::getText).containsExactly("fine");
        assertThat(deadLetters(avro)).extracting(DeadLetter::getReason)
                .containsExactly("UNDECODABLE", "UNDECODABLE", "UNDECODABLE");
    }

    @Test
    void textWithoutContentIsNoContentNotScored() throws Exception {
        var h = harness(InputFormat.TEXT, 1024);
        h.processElement(raw(utf8("\u200B\u200B\u200B"), null, 1), 0);  // zero-width spaces only
        h.processElement(raw(utf8("\u00A0\u00A0\u202F"), null, 2), 0);  // no-break spaces only
        h.processElement(raw(utf8("?!... --- ;;"), null, 3), 0);          // punctuation only
        h.processElement(raw(utf8("\uFEFF"), null, 4), 0);                // a lone BOM
        h.processElement(raw(utf8("\u00A0ok!"), null, 5), 0);             // content after a no-break space
        h.processElement(raw(utf8("\uD83D\uDE00"), null, 6), 0);          // an emoji is content

        assertThat(h.extractOutputValues()).extracting(TextRecord::getText)
                .containsExactly("\u00A0ok!", "\uD83D\uDE00");
        assertThat(deadLetters(h)).extracting(DeadLetter::getReason)
                .containsExactly("NO_CONTENT", "NO_CONTENT", "NO_CONTENT", "NO_CONTENT");
    }

    @Test
    void jsonIsStrictTrailingGarbageAndDuplicateKeysAreUndecodableButABomIsAccepted() throws Exception {
        var h = harness(InputFormat.JSON, 1024);
        h.processElement(raw(utf8("{\"text\":\"hello\"} trailing"), null, 1), 0);
        h.processElement(raw(utf8("{\"text\":\"hello\"}{\"text\":\"again\"}"), null, 2), 0);
        h.processElement(raw(utf8("{\"text\":\"first\",\"text\":\"second\"}"), null, 3), 0);
        h.processElement(raw(utf8("\uFEFF{\"id\":\"bom\",\"text\":\"with a byte order mark\"}"), null, 4), 0);
        h.processElement(raw(utf8("{\"text\":\"fine\"}  \n"), null, 5), 0); // trailing whitespace is fine

        assertThat(h.extractOutputValues()).extracting(TextRecord::getText)
                .containsExactly("with a byte order mark", "fine");
        List<DeadLetter> dl = deadLetters(h);
        assertThat(dl).extracting(DeadLetter::getReason).containsExactly("UNDECODABLE", "UNDECODABLE", "UNDECODABLE");
        assertThat(dl.get(0).getDetail()).containsIgnoringCase("trailing");
        assertThat(dl.get(1).getDetail()).containsIgnoringCase("trailing");
        assertThat(dl.get(2).getDetail()).containsIgnoringCase("duplicate");
    }

    @Test
    void deadLettersCarryABoundedPrefixOfTheValueWithItsFullSizeAndSha256() throws Exception {
        byte[] big = utf8("x".repeat(70_000));
        var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeFunction(InputFormat.TEXT, RecordLimits.defaults().withDeadLetterValueBytes(1000)));
        h.processElement(raw(big, utf8("k".repeat(5000)), 1), 0);

        DeadLetter d = deadLetters(h).get(0);
        assertThat(d.getReason()).isEqualTo("TEXT_TOO_LARGE");
        assertThat(d.getValue().remaining()).isEqualTo(1000);
        assertThat(d.getValueSize()).isEqualTo(70_000L);
        assertThat(d.getValueSha256()).isEqualTo(ModelUpdates.sha256Hex(big));
        assertThat(d.getKey().remaining()).isLessThanOrEqualTo(RecordLimits.KEY_PREFIX_BYTES);
        assertThat(new AvroSingleObjectSerializationSchema<>(DeadLetter.class).serialize(d).length).isLessThan(8 * 1024);
    }

    @Test
    void aRecordLargerThanTheRecordLimitIsDeadLetteredSoNoOutputCanOutgrowTheSink() throws Exception {
        String attrs = "a".repeat(5000);
        var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeFunction(InputFormat.JSON, RecordLimits.defaults().withMaxRecordBytes(4096)));
        h.processElement(raw(utf8("{\"text\":\"small text\",\"note\":\"" + attrs + "\"}"), null, 1), 0);
        h.processElement(raw(utf8("{\"text\":\"small text\"}"), null, 2), 0);

        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(deadLetters(h)).extracting(DeadLetter::getReason).containsExactly("RECORD_TOO_LARGE");
    }
}
