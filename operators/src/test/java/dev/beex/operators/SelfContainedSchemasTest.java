package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The jar ships one self-contained .avsc per topic schema (nested types inlined, no references
 * between files) under {@code dev/beex/schemas/avsc/}, so a standard Avro tool can read any topic.
 * They are committed in schemas/src/main/resources; this test keeps them equal to the generated
 * classes' schemas. Regenerate: {@code mvn -pl operators -am test -Dtest=SelfContainedSchemasTest
 * -Dbeex.writeSchemas=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SelfContainedSchemasTest {

    static final String RESOURCE_DIR = "dev/beex/schemas/avsc/";

    @Test
    void everyTopicSchemaShipsSelfContainedAndCurrent() throws Exception {
        Path source = Path.of("..", "schemas", "src", "main", "resources", RESOURCE_DIR);
        if (Boolean.getBoolean("beex.writeSchemas")) {
            Files.createDirectories(source);
            for (Schema schema : AvroJson.TOPIC_SCHEMAS) {
                Files.writeString(source.resolve(schema.getName() + ".avsc"), schema.toString(true) + "\n");
            }
            return;
        }
        for (Schema schema : AvroJson.TOPIC_SCHEMAS) {
            String expected = schema.toString(true) + "\n";
            String file = schema.getName() + ".avsc";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
                assertThat(in).as("resource " + RESOURCE_DIR + file + " on the classpath").isNotNull();
                String shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(Files.readString(source.resolve(file))).as(file + " is current").isEqualTo(expected);
                // Parses alone, with a fresh parser: no reference to another file.
                assertThat(new Schema.Parser().parse(shipped)).isEqualTo(schema);
            }
        }
    }
}
