#pragma once
// How long a claim lasts and how often it may lapse: shared by `sweep worker`'s units on
// PostgreSQL (pg_store.h) and `sweep run`'s trials on SQLite (store.h, trial_leases.cpp).

namespace eegsweep {

struct LeasePolicy {
  double lease_seconds = 60;  // a claim lapses this long after its last heartbeat
  int max_retries = 3;        // lapsed leases a unit or trial may survive; one more fails it
};

}  // namespace eegsweep
