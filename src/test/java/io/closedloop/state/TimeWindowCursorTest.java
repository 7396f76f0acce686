package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeWindowCursorTest {
    @Test
    void aPartReadWindowRoundTripsAndAFinishedOneKeepsTheFormerFormat() {
        TimeWindowCursor plain = new TimeWindowCursor(Instant.ofEpochMilli(1_000), 3, Instant.ofEpochMilli(900));
        assertThat(plain.serialize()).isEqualTo("watermark=1000;polls=3;swept=900");
        assertThat(TimeWindowCursor.parse(plain.serialize())).isEqualTo(plain);
        assertThat(plain.draining()).isFalse();

        TimeWindowCursor draining = new TimeWindowCursor(Instant.ofEpochMilli(1_000), 4, Instant.ofEpochMilli(900),
                Instant.ofEpochMilli(5_000), Instant.ofEpochMilli(9_000), null);
        assertThat(TimeWindowCursor.parse(draining.serialize())).isEqualTo(draining);
        assertThat(TimeWindowCursor.parse(draining.serialize()).draining()).isTrue();
    }

    @Test
    void aPartReadWindowNeedsBothEnds() {
        assertThatThrownBy(() -> new TimeWindowCursor(Instant.EPOCH, 0, Instant.EPOCH, Instant.EPOCH, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartReadWindowKeepsWhereItStartsAndACursorWrittenBeforeThatStillReads() {
        TimeWindowCursor sweep = new TimeWindowCursor(Instant.ofEpochMilli(10_000), 5, Instant.ofEpochMilli(9_500),
                Instant.ofEpochMilli(8_000), Instant.ofEpochMilli(9_000), Instant.ofEpochMilli(2_000));
        assertThat(sweep.serialize()).isEqualTo("watermark=10000;polls=5;swept=9500;below=8000;then=9000;from=2000");
        assertThat(TimeWindowCursor.parse(sweep.serialize())).isEqualTo(sweep);
        assertThat(TimeWindowCursor.parse("watermark=10000;polls=5;below=8000;then=9000").from()).isNull();
        assertThatThrownBy(() -> new TimeWindowCursor(Instant.EPOCH, 0, Instant.EPOCH, null, null, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
