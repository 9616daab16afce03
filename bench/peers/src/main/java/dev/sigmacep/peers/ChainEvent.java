package dev.sigmacep.peers;

import java.io.Serializable;

/**
 * One input record, reduced before timing to what the chain needs: the correlation key (host + WER process GUID),
 * the step it can play ({@link #kind}: {@link #NONE} for background), its event time and its position in the
 * time-sorted input. A Flink POJO (public fields, no-arg constructor); equality is the position.
 */
public final class ChainEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Background: none of the three steps. Every engine must discard these itself. */
    public static final int NONE = 0;
    /** A: wermgr.exe / WerFault.exe started without arguments. */
    public static final int START = 1;
    /** B: an outbound, non-loopback connection by wermgr.exe / WerFault.exe. */
    public static final int CONNECT = 2;
    /** C: a shell or discovery child of wermgr.exe / WerFault.exe. */
    public static final int CHILD = 3;

    /** {@code Hostname + '|' + GUID}: ProcessGuid for A, B and background, ParentProcessGuid for C. */
    public String key;
    /** {@link #NONE}, {@link #START}, {@link #CONNECT} or {@link #CHILD}. */
    public int kind;
    /** Event time (Sysmon UtcTime), epoch milliseconds. */
    public long ts;
    /** Position in the time-sorted input (0-based): "later" is a larger seq. */
    public long seq;

    public ChainEvent() {
    }

    public ChainEvent(String key, int kind, long ts, long seq) {
        this.key = key;
        this.kind = kind;
        this.ts = ts;
        this.seq = seq;
    }

    // bean getters for Esper's event type
    public String getKey() {
        return key;
    }

    public int getKind() {
        return kind;
    }

    public long getTs() {
        return ts;
    }

    public long getSeq() {
        return seq;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainEvent other && other.seq == seq && other.kind == kind && other.ts == ts
                && java.util.Objects.equals(other.key, key);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "ChainEvent{" + key + ", kind=" + kind + ", ts=" + ts + ", seq=" + seq + '}';
    }
}
