// A program in the style of Open MPI's examples/Ring.java, written for jmpi's tests: a counter goes round the ring,
// rank 0 decrements it each lap, and every rank leaves after passing on the 0.
import mpi.*;

class Ring {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.getRank();
        int size = MPI.COMM_WORLD.getSize();
        int next = (rank + 1) % size, prev = (rank + size - 1) % size, tag = 201;
        int[] message = new int[1];
        if (rank == 0) {
            message[0] = 10;
            System.out.println("Process 0 sending " + message[0] + " to " + next + ", tag " + tag + " (" + size + " processes in ring)");
            MPI.COMM_WORLD.send(message, 1, MPI.INT, next, tag);
            System.out.println("Process 0 sent to " + next);
        }
        while (true) {
            MPI.COMM_WORLD.recv(message, 1, MPI.INT, prev, tag);
            if (rank == 0) {
                message[0]--;
                System.out.println("Process 0 decremented value: " + message[0]);
            }
            MPI.COMM_WORLD.send(message, 1, MPI.INT, next, tag);
            if (message[0] == 0) {
                System.out.println("Process " + rank + " exiting");
                break;
            }
        }
        if (rank == 0) MPI.COMM_WORLD.recv(message, 1, MPI.INT, prev, tag);
        MPI.Finalize();
    }
}
