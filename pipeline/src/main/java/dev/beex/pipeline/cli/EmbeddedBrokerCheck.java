package dev.beex.pipeline.cli;

/**
 * beex.jar leaves Kafka's broker out (a real job talks to a real broker); beex-demo.jar has it.
 * The commands that start an in-process broker ({@code demo}, {@code bench --pipeline}) check for it
 * first, so running them from the wrong jar ends in one line instead of a NoClassDefFoundError.
 */
final class EmbeddedBrokerCheck {
    static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";

    private EmbeddedBrokerCheck() {
    }

    /** Throws a one-line {@link UserException} naming how to run {@code command} when the broker is missing. */
    static void require(String command, ClassLoader loader) {
        try {
            Class.forName(BROKER_CLASS, false, loader);
        } catch (ClassNotFoundException e) {
            throw new UserException("this jar has no in-process Kafka broker: run ./beex " + command
                    + " (the launcher picks beex-demo.jar) or java -jar beex-demo.jar " + command);
        }
    }

    static void require(String command) {
        require(command, EmbeddedBrokerCheck.class.getClassLoader());
    }
}
