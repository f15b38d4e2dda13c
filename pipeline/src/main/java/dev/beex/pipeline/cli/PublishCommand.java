package dev.beex.pipeline.cli;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ArtifactSelfTest;
import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.model.artifact.InvalidArtifactException;
import dev.beex.operators.ModelUpdates;
import dev.beex.operators.RolloutGate;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.kafka.ControlProducer;
import dev.beex.pipeline.kafka.ModelVerdict;
import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.RolloutMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Sends a model (inline) or a rollback to the control topic of a running job. */
// No mixinStandardHelpOptions: its -V/--version would clash with the model --version below.
@Command(name = "publish",
        description = "Publishes a model update to the control topic. "
            + "The job checks hash, signature (when it trusts keys), structure and self-tests before it serves the model.")
public final class PublishCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConfigOptions connection = new ConfigOptions();

    @Option(names = "--model", paramLabel = "FILE", description = "Model artifact (.beex) to deploy.")
    Path model;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Control topic (default beex.control, or the config's).")
    String topic;

    @Option(names = "--version", paramLabel = "N",
            description = "Version to deploy; must exceed every version the job accepted (default: now, in epoch seconds). "
                    + "With --rollback: the retained version to restore (default 0 = the one before the active).")
    Long version;

    @Option(names = "--name", paramLabel = "NAME", description = "Model name (default: the file name without .beex).")
    String name;

    @Option(names = "--sign-key", paramLabel = "FILE", description = "Ed25519 private key (PKCS#8) to sign the artifact with.")
    Path signKey;

    @Mixin
    ExitRuleOption exitRule = new ExitRuleOption();

    @Option(names = "--rollback", description = "Roll back to a retained version instead of deploying.")
    boolean rollback;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "active",
            description = "active (default): the version replaces the serving one once accepted. "
                    + "shadow: it is scored beside the serving version, never changes an output, and is compared with it "
                    + "(SHADOW_REPORT model events) until a gate or a later publish decides. "
                    + "canary: like shadow, but it serves the fraction of records given by --fraction.")
    String mode;

    @Option(names = "--fraction", paramLabel = "F",
            description = "With --mode canary (required): the fraction of records (0 < F <= 1, chosen by hash of the record id) the canary serves.")
    Double fraction;

    @Option(names = "--sample", paramLabel = "F",
            description = "With --mode shadow: the fraction of records (0 < F <= 1, chosen by hash of the record id) the shadow scores (default 1).")
    Double sample;

    @Option(names = "--promote-when", paramLabel = "GATE",
            description = "With --mode shadow or canary: promote the shadow when every term holds, e.g. 'agreement>=0.97,records>=5000' "
                    + "(terms: agreement, records, accuracy (on records with a label attribute), meanBlocks, p99Micros (the shadow's"
                    + " 99th percentile of engine time), latencyRatio (that over the active version's); ops: >= > <= <).")
    String promoteWhen;

    @Option(names = "--reject-when", paramLabel = "GATE",
            description = "With --mode shadow or canary: reject it when every term holds, e.g. 'agreement<0.9,records>=1000'; "
                    + "checked before --promote-when.")
    String rejectWhen;

    @Option(names = "--wait", description = "Wait for the job's verdict (model events topic); exit 1 when it rejects the update.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --wait: give up after this long, exit 3 (default 120).")
    int timeoutSeconds;

    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "Model events topic for --wait (default beex.model-events, or the config's).")
    String eventsTopic;

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        if (topic != null) {
            overrides.put(JobConfig.TOPIC_CONTROL, topic);
        }
        if (eventsTopic != null) {
            overrides.put(JobConfig.TOPIC_MODEL_EVENTS, eventsTopic);
        }
        JobConfig config = connection.resolve(overrides);
        if (timeoutSeconds < 1) {
            throw new UserException("--timeout must be >= 1 second, got " + timeoutSeconds);
        }
        RolloutMode rollout = rolloutMode();
        ModelUpdate update = rollback ? rollbackUpdate() : deployUpdate();
        if (rollout == RolloutMode.SHADOW) {
            update = ModelUpdates.shadow(update, sample, promoteWhen, rejectWhen);
        } else if (rollout == RolloutMode.CANARY) {
            update = ModelUpdates.canary(update, fraction, promoteWhen, rejectWhen);
        }
        RecordMetadata where = ControlProducer.send(config.kafkaClientProperties(), config.topics().control(), update);
        String what = describe(update);
        // Sent is not accepted: only the job decides (versions, hash, signature, self-tests).
        System.out.printf("sent %s (control topic %s-%d@%d on %s)%s%n", what, where.topic(), where.partition(),
                where.offset(), config.bootstrapServers(), await ? "; waiting for the job's verdict"
                        : "; the job's verdict: beex consume --topic " + config.topics().modelEvents() + ", or publish --wait");
        if (!await) {
            return 0;
        }
        String position = where.topic() + "-" + where.partition() + "-" + where.offset();
        Optional<ModelEvent> verdict = ModelVerdict.await(config.kafkaClientProperties(), config.topics().modelEvents(),
                position, Duration.ofSeconds(timeoutSeconds));
        if (verdict.isEmpty()) {
            System.err.printf("beex: no verdict on %s from the job within %d s (is a job reading '%s'?)%n", what,
                    timeoutSeconds, config.topics().control());
            return 3;
        }
        ModelEvent e = verdict.get();
        if (e.getType() == ModelEventType.REJECTED) {
            System.err.printf("beex: the job rejected %s: %s%n", what, e.getReason());
            return 1;
        }
        if (e.getMode() == RolloutMode.SHADOW || e.getMode() == RolloutMode.CANARY) {
            System.out.printf("accepted as %s: %s version %d is compared with version %d%n",
                    e.getMode().name().toLowerCase(java.util.Locale.ROOT), e.getModelName(), e.getVersion(),
                    e.getActiveVersion());
            return 0;
        }
        System.out.printf("%s: %s version %d active (was version %d)%n",
                e.getType() == ModelEventType.ROLLED_BACK ? "rolled back" : "accepted",
                e.getModelName(), e.getActiveVersion(), e.getPreviousVersion());
        return 0;
    }

    /** What the update asks the job to do, e.g. "rollback of spam to version 3". */
    static String describe(ModelUpdate update) {
        String name = update.getModelName();
        if (update.getAction() == ModelAction.DEPLOY) {
            String mode = update.getMode() == null || update.getMode() == RolloutMode.ACTIVE ? ""
                    : update.getMode().name().toLowerCase(java.util.Locale.ROOT) + " ";
            return mode + "deploy of " + name + " version " + update.getVersion();
        }
        return update.getVersion() == 0 ? "rollback of " + name + " to the version before the active one"
                : "rollback of " + name + " to version " + update.getVersion();
    }

    /**
     * The rollout mode the options ask for. Checks them first, before any file is read or any
     * broker asked, so a typo in a gate is this command's one-line error.
     */
    private RolloutMode rolloutMode() {
        RolloutMode m;
        try {
            m = RolloutMode.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--mode must be active, shadow or canary, not '" + mode + "'");
        }
        if ((m == RolloutMode.ACTIVE || rollback) && (sample != null || fraction != null || promoteWhen != null
                || rejectWhen != null)) {
            throw new UserException("--sample, --fraction, --promote-when and --reject-when need --mode shadow or canary"
                    + " (and no --rollback)");
        }
        if (m != RolloutMode.ACTIVE && rollback) {
            throw new UserException("--mode " + mode.trim() + " deploys a model; it takes no --rollback");
        }
        if (m == RolloutMode.SHADOW && fraction != null) {
            throw new UserException("--fraction is for --mode canary (a shadow samples with --sample)");
        }
        if (m == RolloutMode.CANARY && sample != null) {
            throw new UserException("--sample is for --mode shadow (a canary serves --fraction)");
        }
        if (m == RolloutMode.CANARY && fraction == null) {
            throw new UserException("--mode canary needs --fraction F");
        }
        fractionIn("--sample", sample);
        fractionIn("--fraction", fraction);
        gate("--promote-when", promoteWhen);
        gate("--reject-when", rejectWhen);
        return m;
    }

    private static void fractionIn(String option, Double f) {
        if (f != null && !(f > 0 && f <= 1)) {
            throw new UserException(option + " must be in (0, 1], got " + f);
        }
    }

    private static void gate(String option, String text) {
        try {
            RolloutGate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    private ModelUpdate rollbackUpdate() {
        if (model != null) {
            throw new UserException("--rollback takes no --model (it restores a version the job retained)");
        }
        if (name == null) {
            throw new UserException("--rollback needs --name (the model to roll back)");
        }
        return ModelUpdates.rollback(name, version == null ? 0 : version);
    }

    private ModelUpdate deployUpdate() {
        if (model == null) {
            throw new UserException("missing --model FILE (or --rollback)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (NoSuchFileException e) {
            throw new UserException("model file not found: " + model);
        } catch (IOException e) {
            throw new UserException("cannot read model " + model + ": " + e.getMessage());
        }
        try {
            // Refuse locally what the job would reject anyway: a broken file is a user error here.
            ArtifactSelfTest.verify(ArtifactReader.fromBytes(bytes));
        } catch (InvalidArtifactException e) {
            throw new UserException(model + ": not a valid model artifact: " + e.getMessage());
        }
        byte[] signature = null;
        if (signKey != null) {
            PrivateKey key;
            try {
                key = ArtifactSignature.readPrivateKey(signKey);
            } catch (NoSuchFileException e) {
                throw new UserException("signing key not found: " + signKey);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("signing key " + signKey + ": " + e.getMessage());
            }
            signature = ArtifactSignature.sign(bytes, key);
        }
        String modelName = name != null ? name : model.getFileName().toString().replaceFirst("\\.beex$", "");
        long v = version != null ? version : System.currentTimeMillis() / 1000;
        if (v < 1) {
            throw new UserException("--version must be >= 1, got " + v);
        }
        return ModelUpdates.deploy(modelName, v, bytes, signature, exitRule.text());
    }
}
