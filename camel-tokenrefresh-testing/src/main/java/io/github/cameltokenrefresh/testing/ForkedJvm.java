package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class run in a JVM of its own, on a class path given as text (as Maven's dependency:build-classpath
 * writes it), its output going to a file rather than the build log. For runtimes whose class path is the point of the
 * test, or that call System.exit.
 */
public final class ForkedJvm implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ForkedJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * @param systemProperties -D options; they reach the run's property placeholders too (Camel gives system
     *                         properties precedence over properties files)
     */
    public static ForkedJvm start(Path workDir, String classpath, Map<String, String> systemProperties,
                                  String mainClass, List<String> args, Path output) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close(); // no input: a read of standard input ends at once
            return new ForkedJvm(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its exit code; kills it and fails when it has not stopped within the timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the forked JVM did not stop within " + timeout + "; its output: "
                                                + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted waiting for the forked JVM", e);
        }
        return process.exitValue();
    }

    public Path outputFile() {
        return output;
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
