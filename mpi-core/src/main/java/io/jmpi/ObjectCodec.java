package io.jmpi;

/** Turns objects into bytes and back for the object tier ({@code sendObject}, {@code bcastObject}, ...). */
public interface ObjectCodec {
    byte[] encode(Object o);

    Object decode(byte[] bytes);

    /** Java serialization: any {@link java.io.Serializable} object graph. */
    ObjectCodec JAVA = new JavaSerializationCodec();
}
