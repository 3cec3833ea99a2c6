// Error handling through Open MPI's Java API, written for jmpi's side-by-side check (OpenMpiProgramsIT): with
// MPI.ERRORS_RETURN, failing calls throw the checked MPIException, which the program catches (so the API must declare
// it: a catch of a checked exception that nothing in the try block throws does not compile), and reads its class.
import mpi.*;

class CatchErrors {
    public static void main(String[] args) {
        try {
            MPI.Init(args);
            Intracomm world = MPI.COMM_WORLD;
            world.setErrhandler(MPI.ERRORS_RETURN);
            int rank = world.getRank(), size = world.getSize();
            try {
                world.send(new int[1], 1, MPI.INT, size, 0); // no such rank
                System.out.println("rank " + rank + " send to rank " + size + ": no error");
            } catch (MPIException e) {
                System.out.println("rank " + rank + " send to rank " + size + ": MPIException, class ERR_RANK "
                        + (e.getErrorClass() == MPI.ERR_RANK));
            }
            try {
                world.bcast(new int[1], 1, MPI.INT, -5); // no such root
                System.out.println("rank " + rank + " bcast from root -5: no error");
            } catch (MPIException e) {
                System.out.println("rank " + rank + " bcast from root -5: MPIException, class ERR_ROOT "
                        + (e.getErrorClass() == MPI.ERR_ROOT));
            }
            world.barrier();
            MPI.Finalize();
        } catch (MPIException e) {
            System.out.println("unexpected: " + e.getMessage());
        }
    }
}
