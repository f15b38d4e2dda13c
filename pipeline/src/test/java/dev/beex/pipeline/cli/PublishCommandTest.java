package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.operators.ModelUpdates;
import org.junit.jupiter.api.Test;

/** What {@code beex publish} says it sent: the action, the model and the version, in words. */
class PublishCommandTest {

    @Test
    void aRollbackSaysWhichVersionItRestores() {
        assertThat(PublishCommand.describe(ModelUpdates.rollback("spam", 3))).isEqualTo("rollback of spam to version 3");
        assertThat(PublishCommand.describe(ModelUpdates.rollback("spam", 0)))
                .isEqualTo("rollback of spam to the version before the active one");
    }

    @Test
    void aDeploySaysTheVersionItSends() {
        assertThat(PublishCommand.describe(ModelUpdates.deploy("spam", 7, new byte[] {1, 2, 3}, null)))
                .isEqualTo("deploy of spam version 7");
    }

    @Test
    void aShadowDeploySaysSo() {
        assertThat(PublishCommand.describe(ModelUpdates.shadow(ModelUpdates.deploy("spam", 7, new byte[] {1}, null),
                0.5, "records>=10", null))).isEqualTo("shadow deploy of spam version 7");
        assertThat(PublishCommand.describe(ModelUpdates.canary(ModelUpdates.deploy("spam", 8, new byte[] {1}, null),
                0.1, null, null))).isEqualTo("canary deploy of spam version 8");
    }
}
