package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** The default object codec: Java serialization, with errors that name the offending class. */
final class JavaSerializationCodec implements ObjectCodec {
    @Override
    public byte[] encode(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (NotSerializableException e) {
            throw new MpiException(ErrorClass.ARG, "object codec: " + e.getMessage() + " is not Serializable", e);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.ARG, "object codec: cannot serialize " + o.getClass().getName() + ": " + e, e);
        } catch (OutOfMemoryError e) {
            // ByteArrayOutputStream cannot grow past the largest array: objects are limited to one byte[]
            if (!String.valueOf(e.getMessage()).contains("array")) throw e;
            throw new MpiException(ErrorClass.BUFFER, "object codec: the serialized form of " + o.getClass().getName()
                    + " exceeds the largest byte[] (" + io.jmpi.buffer.BytesBuf.MAX_ARRAY + " bytes); send it as a primitive "
                    + "array or in parts", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new MpiException(ErrorClass.ARG, "object codec: cannot deserialize a received object: " + e, e);
        }
    }
}
