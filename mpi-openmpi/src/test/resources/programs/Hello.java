// A program in the style of Open MPI's examples/Hello.java, written for jmpi's tests.
import mpi.*;

class Hello {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.getRank();
        int size = MPI.COMM_WORLD.getSize();
        System.out.println("Hello world from rank " + rank + " of " + size);
        MPI.Finalize();
    }
}
