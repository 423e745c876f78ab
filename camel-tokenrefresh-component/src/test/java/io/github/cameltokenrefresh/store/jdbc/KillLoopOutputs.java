package io.github.cameltokenrefresh.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the replicas of {@link ReplicaKillLoopIT} printed ({@link KillLoopReplicaMain}), read from their output
 * files: every API call they served or failed, and every lease they took over from a dead holder. A killed process's
 * last line may be cut: only whole lines count.
 */
final class KillLoopOutputs {

    /** One API call of a replica: which slot (0..2), which provider, its outcome, when (epoch ms). */
    record Call(int slot, String provider, String outcome, long at) {
        boolean served() {
            return outcome.equals("ok");
        }
    }

    /** A lease taken over unreleased: when by the database clock, and whether its taker was polling for it. */
    record Takeover(String provider, long fence, long acquiredAt, boolean polling, boolean spent) {
    }

    final List<Call> calls = new ArrayList<>();
    final List<Takeover> takeovers = new ArrayList<>();

    /** @param files each output file with the slot of the replica that wrote it */
    static KillLoopOutputs read(List<Slotted> files) {
        KillLoopOutputs outputs = new KillLoopOutputs();
        for (Slotted file : files) {
            String text;
            try {
                text = Files.readString(file.path(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // the last line is whole only when it ends with a newline
            List<String> lines = text.lines().toList();
            int whole = text.endsWith("\n") ? lines.size() : lines.size() - 1;
            for (String line : lines.subList(0, Math.max(0, whole))) {
                String[] f = line.split(" ");
                if (f[0].equals("CALL") && f.length == 4) {
                    outputs.calls.add(new Call(file.slot(), f[1], f[2], Long.parseLong(f[3])));
                } else if (f[0].equals("TAKEOVER") && f.length == 6) {
                    outputs.takeovers.add(new Takeover(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                                                       Boolean.parseBoolean(f[4]), Boolean.parseBoolean(f[5])));
                }
            }
        }
        return outputs;
    }

    /** An output file and the slot of the replica that wrote it. */
    record Slotted(int slot, Path path) {
    }

    /** The first takeover of {@code provider}'s lease after the one of {@code fence}. */
    Optional<Takeover> takeoverAfter(String provider, long fence) {
        return takeovers.stream().filter(t -> t.provider().equals(provider) && t.fence() > fence)
                .min(Comparator.comparingLong(Takeover::fence));
    }
}
