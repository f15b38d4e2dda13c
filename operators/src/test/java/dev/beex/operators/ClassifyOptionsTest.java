package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.model.exit.ExitRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyOptionsTest {

    @Test
    void badSettingsFailWhenTheJobIsBuiltNotWhenTheFirstModelArrives() {
        assertThatThrownBy(() -> ClassifyOptions.defaults().withHistorySize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history");
        assertThatThrownBy(() -> ClassifyOptions.defaults().withHoldBufferLimit(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hold buffer");
        assertThatThrownBy(() -> new ClassifyOptions(1, 1, 1, List.of("AAAA"), null, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public key");
    }

    @Test
    void optionsSurviveJavaSerializationWithTheirKeys() throws Exception {
        KeyPair keys = ArtifactSignature.generateKeyPair();
        ClassifyOptions o = ClassifyOptions.defaults().withTrustedKeys(List.of(keys.getPublic()))
                .withRequiredLabels(List.of("a", "b")).withExitRuleOverride(ExitRule.parse("entropy:0.3")).withHoldBufferLimit(7);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ClassifyFunction(o)); // shipped with the job graph
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isInstanceOf(ClassifyFunction.class);
        }
        ClassifyOptions copy;
        ByteArrayOutputStream b2 = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b2)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b2.toByteArray()))) {
            copy = (ClassifyOptions) in.readObject();
        }
        assertThat(copy).isEqualTo(o);
        assertThat(copy.trustedPublicKeys()).hasSize(1);
        assertThat(copy.trustedPublicKeys().get(0).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void aMessageRuleWinsOverTheJobOverrideWhichWinsOverTheArtifactRule() {
        ExitRule message = ExitRule.patience(2), job = ExitRule.entropyReduction(0.1f), artifact = ExitRule.FULL_DEPTH;
        ClassifyOptions withOverride = ClassifyOptions.defaults().withExitRuleOverride(job);

        assertThat(withOverride.servingRule(message, artifact)).isEqualTo(message);
        assertThat(withOverride.servingRule(null, artifact)).isEqualTo(job);
        assertThat(ClassifyOptions.defaults().servingRule(null, artifact)).isEqualTo(artifact);
    }
}
