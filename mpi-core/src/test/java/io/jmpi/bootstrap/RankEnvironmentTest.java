package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankEnvironmentTest {
    private static final byte[] SECRET = new byte[32];

    static {
        for (int i = 0; i < SECRET.length; i++) SECRET[i] = (byte) (i * 7 + 1);
    }

    private static Map<String, String> env() {
        return new HashMap<>(new RankEnvironment(2, 4, 2, 0xfeedbeefL, SECRET, "127.0.0.1", 4000).toEnvironment());
    }

    @Test
    void writesAndReadsTheSameIdentity() {
        Map<String, String> env = env();
        assertEquals("2", env.get("JMPI_RANK"));
        assertEquals("4", env.get("JMPI_SIZE"));
        assertEquals("feedbeef", env.get("JMPI_JOB_ID"));
        assertEquals(64, env.get("JMPI_SECRET").length());
        assertEquals("127.0.0.1:4000", env.get("JMPI_LAUNCHER"));
        RankEnvironment r = RankEnvironment.parse(env);
        assertEquals(2, r.rank());
        assertEquals(4, r.size());
        assertEquals(2, r.localRank());
        assertEquals(0xfeedbeefL, r.jobId());
        assertArrayEquals(SECRET, r.secret());
        assertEquals("127.0.0.1", r.launcherHost());
        assertEquals(4000, r.launcherPort());
        assertFalse(r.toString().contains(env.get("JMPI_SECRET")), "toString never shows the secret");
    }

    @Test
    void ipv6LauncherAddress() {
        Map<String, String> env = new HashMap<>(new RankEnvironment(0, 1, 0, 1, SECRET, "::1", 99).toEnvironment());
        assertEquals("[::1]:99", env.get("JMPI_LAUNCHER"));
        assertEquals("::1", RankEnvironment.parse(env).launcherHost());
    }

    @Test
    void errorsNameVariableValueAndRange() {
        assertError("JMPI_RANK", "4", "bootstrap: JMPI_RANK=4 out of range [0, 3]");
        assertError("JMPI_SIZE", "x", "bootstrap: JMPI_SIZE=x is not an integer; allowed [1, 4096]");
        assertError("JMPI_JOB_ID", "zz", "bootstrap: JMPI_JOB_ID=zz is not a 64-bit hex number");
        assertError("JMPI_LAUNCHER", "host", "bootstrap: JMPI_LAUNCHER=host is not host:port");
        assertError("JMPI_LAUNCHER", "h:0", "bootstrap: JMPI_LAUNCHER=h:0: port out of range [1, 65535]");
        assertError("JMPI_RANK", null, "bootstrap: JMPI_RANK is not set (a rank started by jmpirun has it)");
    }

    @Test
    void badSecretIsNeverEchoed() {
        String secretLike = "not-hex-but-a-long-enough-credential-value!";
        assertError("JMPI_SECRET", secretLike, "bootstrap: JMPI_SECRET must be at least 32 hex characters (16 bytes), "
                + "an even number; got 43 characters");
    }

    /** A rank started by srun or mpirun for jmpirun: no JMPI_RANK, but JMPI_RANK_FROM names where it is. */
    private static Map<String, String> external(String... pairs) {
        Map<String, String> env = env();
        env.remove("JMPI_RANK");
        env.remove("JMPI_LOCAL_RANK");
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    @Test
    void theRankMayComeFromAnotherLaunchersVariable() {
        RankEnvironment srun = RankEnvironment.parse(external("JMPI_RANK_FROM", "SLURM_PROCID", "SLURM_PROCID", "3",
                "JMPI_LOCAL_RANK_FROM", "SLURM_LOCALID", "SLURM_LOCALID", "1", "SLURM_NTASKS", "4"));
        assertEquals(3, srun.rank());
        assertEquals(1, srun.localRank());
        RankEnvironment ompi = RankEnvironment.parse(external("JMPI_RANK_FROM", "OMPI_COMM_WORLD_RANK,PMIX_RANK,SLURM_PROCID",
                "OMPI_COMM_WORLD_RANK", "1", "SLURM_PROCID", "0", "OMPI_COMM_WORLD_SIZE", "4"));
        assertEquals(1, ompi.rank(), "the first variable named wins");
        assertEquals(0, ompi.localRank());
        RankEnvironment direct = RankEnvironment.parse(external("JMPI_RANK", "2", "JMPI_RANK_FROM", "SLURM_PROCID",
                "SLURM_PROCID", "0"));
        assertEquals(2, direct.rank(), "JMPI_RANK itself wins over JMPI_RANK_FROM");
    }

    @Test
    void anotherLaunchersVariablesAreCheckedToo() {
        Map<String, String> none = external("JMPI_RANK_FROM", "OMPI_COMM_WORLD_RANK,PMI_RANK");
        assertEquals("bootstrap: JMPI_RANK is not set, and neither is any variable named by JMPI_RANK_FROM="
                + "OMPI_COMM_WORLD_RANK,PMI_RANK (the launcher that started this process did not set OMPI_COMM_WORLD_RANK "
                + "or PMI_RANK)", assertThrows(MpiException.class, () -> RankEnvironment.parse(none)).getMessage());
        Map<String, String> range = external("JMPI_RANK_FROM", "SLURM_PROCID", "SLURM_PROCID", "4");
        assertEquals("bootstrap: SLURM_PROCID=4 out of range [0, 3]",
                assertThrows(MpiException.class, () -> RankEnvironment.parse(range)).getMessage());
        Map<String, String> count = external("JMPI_RANK_FROM", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_RANK", "1",
                "OMPI_COMM_WORLD_SIZE", "6");
        assertEquals("bootstrap: JMPI_SIZE=4 but OMPI_COMM_WORLD_SIZE=6: the launcher that started this process "
                + "started 6 processes for a job of 4 ranks (give jmpirun -np and the wrapped command the same count)",
                assertThrows(MpiException.class, () -> RankEnvironment.parse(count)).getMessage());
    }

    private static void assertError(String var, String value, String message) {
        Map<String, String> env = env();
        if (value == null) env.remove(var);
        else env.put(var, value);
        MpiException e = assertThrows(MpiException.class, () -> RankEnvironment.parse(env));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals(message, e.getMessage());
    }
}
