package io.interproc.bench;

import java.io.Serializable;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The object of the {@code codec-chronicle} scenario: both {@link BytesMarshallable} (explicit
 * methods, the usual Chronicle style) and {@link Serializable}, so that both codecs carry exactly
 * the same fields: an id, a symbol, a price, a quantity and four price levels.
 */
public final class BenchOrder implements BytesMarshallable, Serializable {
    private static final long serialVersionUID = 1L;

    long id;
    String symbol = "";
    double price;
    int quantity;
    long[] levels = new long[4];

    /** An order with sample fields; {@code id} is set per message. */
    static BenchOrder sample() {
        BenchOrder o = new BenchOrder();
        o.symbol = "ACME.L";
        o.price = 101.25;
        o.quantity = 300;
        o.levels = new long[] {10_100, 10_125, 10_150, 10_175};
        return o;
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(id);
        out.writeUtf8(symbol);
        out.writeDouble(price);
        out.writeInt(quantity);
        out.writeStopBit(levels.length);
        for (long l : levels) {
            out.writeLong(l);
        }
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        id = in.readLong();
        symbol = in.readUtf8();
        price = in.readDouble();
        quantity = in.readInt();
        long n = in.readStopBit();
        if (n < 0 || n > in.readRemaining() / Long.BYTES) {
            throw new IllegalStateException("bad level count " + n);
        }
        levels = new long[(int) n];
        for (int i = 0; i < n; i++) {
            levels[i] = in.readLong();
        }
    }
}
