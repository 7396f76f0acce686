package io.closedloop.flow.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SalesforceUnmatchedBackoffTest {
    private final SalesforceUnmatchedBackoff backoff = new SalesforceUnmatchedBackoff(Duration.ofMinutes(15), Duration.ofDays(1));

    @Test
    void theWaitDoublesFromTheFirstAtEachFailedAttemptUpToTheCap() {
        assertThat(backoff.after(1)).isEqualTo(Duration.ofMinutes(15));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofMinutes(30));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.after(7)).isEqualTo(Duration.ofHours(16));
        assertThat(backoff.after(8)).isEqualTo(Duration.ofDays(1));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(1));
        assertThat(backoff.next(Instant.parse("2024-06-03T09:00:00Z"), 2)).isEqualTo(Instant.parse("2024-06-03T09:30:00Z"));
    }

    @Test
    void aCapShorterThanTheFirstWaitIsRefused() {
        assertThatThrownBy(() -> new SalesforceUnmatchedBackoff(Duration.ofHours(1), Duration.ofMinutes(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
