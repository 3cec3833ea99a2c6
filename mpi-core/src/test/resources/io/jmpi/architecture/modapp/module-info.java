/** A user program as a named module (ModulePathIT compiles and runs it on the module path). */
module modapp {
    requires io.jmpi;
    uses io.jmpi.transport.TransportProvider;
}
