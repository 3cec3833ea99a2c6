package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bootstrap an environment gets (docs/BOOTSTRAP.md): launcher, PMI, Open MPI, Slurm, singleton. */
class BootstrapsTest {
    @Test
    void theLauncherComesFirstThenPmiThenOpenMpiThenSlurm() {
        assertEquals(Bootstraps.Kind.LAUNCHER, Bootstraps.kind(Map.of("JMPI_LAUNCHER", "10.0.0.1:5000",
                "PMI_FD", "5", "SLURM_STEP_ID", "0", "OMPI_COMM_WORLD_SIZE", "4")));
        assertEquals(Bootstraps.Kind.PMI, Bootstraps.kind(Map.of("PMI_FD", "5", "SLURM_STEP_ID", "0",
                "SLURM_NTASKS", "6")));
        assertEquals(Bootstraps.Kind.PMI, Bootstraps.kind(Map.of("PMI_FD", "5", "PMI_RANK", "0", "PMI_SIZE", "2")));
        assertEquals(Bootstraps.Kind.OPEN_MPI_WITHOUT_RENDEZVOUS, Bootstraps.kind(Map.of("OMPI_COMM_WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_RANK", "1", "SLURM_STEP_ID", "0", "SLURM_NTASKS", "2")));
        assertEquals(Bootstraps.Kind.SINGLETON, Bootstraps.kind(Map.of("OMPI_COMM_WORLD_SIZE", "1")));
        assertEquals(Bootstraps.Kind.SLURM, Bootstraps.kind(Map.of("SLURM_STEP_ID", "0",
                "SLURM_NTASKS", "6", "SLURM_PROCID", "2")));
        assertEquals(Bootstraps.Kind.SINGLETON, Bootstraps.kind(Map.of("SLURM_STEP_ID", "0", "SLURM_NTASKS", "1")));
        assertEquals(Bootstraps.Kind.SINGLETON, Bootstraps.kind(Map.of()));
    }

    @Test
    void aBatchScriptIsNotARank() {
        // sbatch's script has SLURM_PROCID=0 and SLURM_NTASKS=N but no SLURM_STEP_ID (and no PMI_FD)
        assertEquals(Bootstraps.Kind.SINGLETON, Bootstraps.kind(Map.of("SLURM_JOB_ID", "12", "SLURM_PROCID", "0",
                "SLURM_NTASKS", "6")));
        assertInstanceOf(SingletonBootstrap.class, Bootstraps.fromEnvironment(Config.of(Map.of()),
                Map.of("SLURM_JOB_ID", "12", "SLURM_PROCID", "0", "SLURM_NTASKS", "6")));
    }

    @Test
    void launchersWithoutAWayToExchangeSayHowToStartTheJob() {
        MpiException ompi = assertThrows(MpiException.class, () -> Bootstraps.fromEnvironment(Config.of(Map.of()),
                Map.of("OMPI_COMM_WORLD_SIZE", "4", "OMPI_COMM_WORLD_RANK", "0")));
        assertTrue(ompi.getMessage().contains("'jmpirun -np N --wrap mpirun -np N ... java ...'"), ompi.getMessage());
        // a Slurm task without PMI joins through SlurmBootstrap (SlurmBootstrapTest, SlurmLaunchIT)
    }
}
