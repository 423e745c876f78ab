package io.github.cameltokenrefresh.store.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs race for one account's lease, each until it has saved {@value #WINS} times. Only one holder at a time means
 * every win read a different version and saved the next: the versions the winners read are exactly 0 .. 2*WINS-1,
 * every fence is different, and the final version is 2*WINS. H2 in file mode (AUTO_SERVER: the racers connect to the
 * process that opened the file), PostgreSQL and MariaDB when reachable.
 */
class TwoJvmLeaseRaceIT {

    static final int WINS = 40;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabases.class)
    void twoJvmsNeverHoldTheLeaseAtOnce(TestDatabases database) throws Exception {
        String table = TestDatabases.newTableName();
        TestDatabases.Shared shared = database.sharedAcrossJvms(dir);
        DataSource ds = shared.dataSource();
        String where = shared.argument();
        // H2: this JVM opens the file first and so serves it to both racers (AUTO_SERVER) for the whole race; when a
        // serving process exits, the next to connect takes over the file and may meet H2's "lock file recently
        // modified" for a moment
        java.sql.Connection keeper = database == TestDatabases.H2 ? ds.getConnection() : null;
        try {
            List<Process> processes = new ArrayList<>();
            List<Path> errors = new ArrayList<>();
            for (String owner : List.of("jvm-1", "jvm-2")) {
                Path err = dir.resolve(owner + ".err");
                errors.add(err);
                processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                 "-cp", System.getProperty("java.class.path"),
                                                 LeaseRaceMain.class.getName(), where, table, owner,
                                                 String.valueOf(WINS))
                        .redirectError(err.toFile()).start());
            }
            TreeSet<Long> fences = new TreeSet<>();
            TreeSet<Long> versionsRead = new TreeSet<>();
            for (int i = 0; i < processes.size(); i++) {
                Process p = processes.get(i);
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                                                                                   StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (!line.startsWith("WIN ")) {
                            continue; // a log line
                        }
                        String[] parts = line.substring(4).split(" ");
                        assertTrue(fences.add(Long.parseLong(parts[0])), "fence used twice: " + line);
                        assertTrue(versionsRead.add(Long.parseLong(parts[1])), "two holders read one version: " + line);
                    }
                }
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the racing JVM finishes");
                Path err = errors.get(i);
                assertEquals(0, p.exitValue(), () -> readQuietly(err));
            }
            assertEquals(2 * WINS, versionsRead.size());
            assertEquals(0, versionsRead.first());
            assertEquals(2 * WINS - 1, versionsRead.last());
            JdbcTokenStore store = new JdbcTokenStore(ds);
            store.setTableName(table);
            assertEquals(2 * WINS, store.load("p", "raced").version());
        } finally {
            TestDatabases.dropTable(ds, table);
            if (keeper != null) {
                keeper.close();
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
