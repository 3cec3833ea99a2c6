package io.jmpi.launch;

import java.util.concurrent.TimeUnit;

/**
 * One round of hang diagnosis of {@link RendezvousServer#diagnose}: the lines of each rank's answer, and which ranks
 * were asked and answered.
 */
final class DiagnosisRound {
    final java.util.List<java.util.List<String>> lines = new java.util.ArrayList<>();
    final boolean[] asked;
    final boolean[] answered;
    int waiting;

    DiagnosisRound(int size) {
        asked = new boolean[size];
        answered = new boolean[size];
        for (int r = 0; r < size; r++) lines.add(new java.util.ArrayList<>());
    }

    synchronized void line(int rank, String text) {
        if (asked[rank] && !answered[rank] && lines.get(rank).size() < 200) lines.get(rank).add(text);
    }

    synchronized void end(int rank) {
        if (asked[rank] && !answered[rank]) {
            answered[rank] = true;
            waiting--;
            notifyAll();
        }
    }

    synchronized void await(long deadlineNanos) throws InterruptedException {
        while (waiting > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
