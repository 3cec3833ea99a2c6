package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading srun's labels and its messages about failed tasks. */
class SrunOutputTest {
    @Test
    void labelsBecomeTags() {
        SrunOutput s = new SrunOutput(12, true, e -> { });
        assertEquals("[3] hello", s.labelled("3: hello"));
        assertEquals("[11] x", s.labelled(" 11: x"));
        assertEquals("[0] ", s.labelled("0: "));
        assertEquals("no label", s.labelled("no label"));
        assertEquals("3: a program's own line", new SrunOutput(12, false, e -> { }).labelled("3: a program's own line"),
                "without --label, nothing is rewritten");
    }

    @Test
    void everyTaskLineBecomesLocationAndExitEvents() {
        List<JobEvent> events = new ArrayList<>();
        SrunOutput s = new SrunOutput(6, true, events::add);
        String first = "srun: error: h2: task 3: Exited with exit code 7";
        assertEquals(first, s.stderrLine(first));
        s.stderrLine("srun: error: h1: tasks 0-1: Terminated");
        s.stderrLine("srun: launch/slurm: _step_signal: Terminating StepId=1.0");
        assertEquals(List.of(new JobEvent.Located(3, "h2", -1), new JobEvent.Exited(3, 7),
                new JobEvent.Located(0, "h1", -1), new JobEvent.Exited(0, 143),
                new JobEvent.Located(1, "h1", -1), new JobEvent.Exited(1, 143)), events);
    }

    @Test
    void signalWordsBecomeExitCodes() {
        assertEquals(137, SrunOutput.code("Killed"));
        assertEquals(143, SrunOutput.code("Terminated"));
        assertEquals(139, SrunOutput.code("Segmentation fault (core dumped)"));
        assertEquals(42, SrunOutput.code("Exited with exit code 42"));
        assertEquals(1, SrunOutput.code("something else"));
    }

    @Test
    void taskListsWithRangesAreExpanded() {
        List<JobEvent> events = new ArrayList<>();
        new SrunOutput(8, false, events::add).stderrLine("srun: error: n3: tasks 4-5,7: Killed");
        assertEquals(List.of(new JobEvent.Located(4, "n3", -1), new JobEvent.Exited(4, 137),
                new JobEvent.Located(5, "n3", -1), new JobEvent.Exited(5, 137),
                new JobEvent.Located(7, "n3", -1), new JobEvent.Exited(7, 137)), events);
    }
}
