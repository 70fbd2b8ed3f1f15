import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Actor } from "@rantai/core/auth";
import { createLoginThrottle, defaultLoginThrottle, findActiveActor } from "@rantai/core/auth";
import { alarmNoticeChannel, createAlarmNoticeHub } from "@rantai/core/coldchain/alarms";
import { createPhotoService } from "@rantai/core/distribution";
import { createActorCache, defaultActorCache, systemClock } from "@rantai/core/kernel";
import { createFridgeWithSensor, createOrgUnit, createUser } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { Redis } from "ioredis";
import type { ApiContext } from "./context";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

/**
 * A small world for API tests: one province with two districts; district A has two
 * puskesmas, district B one; each puskesmas has a fridge with a sensor; a user for each role.
 */
export async function createApiTestWorld(label: string) {
  const services = readTestServices(process.env);
  const database: TestDatabase = await createTestDatabase(services.mysqlServerUrl, label);
  const redis = new Redis(services.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const { db } = database;
  // Sign-in limits and cached actors of this run only: the Redis server is shared with other
  // runs and processes, and user ids repeat across test databases.
  const runKey = `rantai-test:${label}:${randomUUID()}`;
  const loginThrottle = createLoginThrottle(redis, { ...defaultLoginThrottle, keyPrefix: `${runKey}:login` });
  const actorCache = createActorCache(redis, { ...defaultActorCache, keyPrefix: `${runKey}:actor` });
  // Live alarm notices on this test database's own channel, as the console's would be.
  const alarmNotices = createAlarmNoticeHub(redis, alarmNoticeChannel(database.url));
  // Photos on the local store in a folder of this run's own, as the console keeps them by default.
  const photoSigningSecret = `${runKey}:photo-links`;
  const photoDirectory = await mkdtemp(path.join(tmpdir(), "rantai-photos-"));
  const photoSetup = createPhotoService(
    {
      PHOTO_STORAGE: "local",
      PHOTO_LOCAL_DIR: photoDirectory,
      PHOTO_S3_REGION: "us-east-1",
      PHOTO_MAX_BYTES: 5 * 1024 * 1024,
      PHOTO_URL_SECONDS: 300,
    },
    { signingSecret: photoSigningSecret, clock: systemClock },
  );

  const national = await createOrgUnit(db, { parent: null, level: "national", name: "Kementerian Kesehatan" });
  const province = await createOrgUnit(db, { parent: national, level: "province", name: "DI Yogyakarta" });
  const districtA = await createOrgUnit(db, { parent: province, level: "district", name: "Kabupaten Sleman" });
  const districtB = await createOrgUnit(db, { parent: province, level: "district", name: "Kabupaten Bantul" });
  const facilityA1 = await createOrgUnit(db, { parent: districtA, level: "facility", name: "Puskesmas Depok I" });
  const facilityA2 = await createOrgUnit(db, { parent: districtA, level: "facility", name: "Puskesmas Mlati I" });
  const facilityB1 = await createOrgUnit(db, { parent: districtB, level: "facility", name: "Puskesmas Sewon I" });
  const units = { national, province, districtA, districtB, facilityA1, facilityA2, facilityB1 };

  const fridges = {
    facilityA1: await createFridgeWithSensor(db, { facility: facilityA1 }),
    facilityA2: await createFridgeWithSensor(db, { facility: facilityA2 }),
    facilityB1: await createFridgeWithSensor(db, { facility: facilityB1 }),
  };

  const people = {
    nationalAdmin: await createUser(db, { orgUnit: national, role: "national_admin" }),
    provinceOfficer: await createUser(db, { orgUnit: province, role: "province_officer" }),
    districtOfficerA: await createUser(db, { orgUnit: districtA, role: "district_officer" }),
    districtOfficerB: await createUser(db, { orgUnit: districtB, role: "district_officer" }),
    facilityStaffA1: await createUser(db, { orgUnit: facilityA1, role: "facility_staff" }),
    facilityStaffB1: await createUser(db, { orgUnit: facilityB1, role: "facility_staff" }),
    viewerA: await createUser(db, { orgUnit: districtA, role: "viewer" }),
  };

  const createCaller = createCallerFactory(appRouter);
  const contextFor = (actor: Actor | null, mobileSessionId: number | null = null): ApiContext => ({
    db,
    redis,
    alarmNotices,
    photos: photoSetup.service,
    loginThrottle,
    actorCache,
    // Jobs this run queues stay with this run: no worker of another database picks them up.
    jobQueuePrefix: runKey,
    actor,
    mobileSessionId,
    meta: { requestId: `test-${Math.random().toString(36).slice(2)}`, ip: "127.0.0.1", userAgent: "vitest" },
  });

  async function actorOf(userId: number): Promise<Actor> {
    const actor = await findActiveActor(db, userId);
    if (!actor) throw new Error(`user ${userId} is not active`);
    return actor;
  }

  return {
    db,
    redis,
    alarmNotices,
    photos: photoSetup.service,
    /** The local photo store itself: what the console's photo route writes to and reads from. */
    photoStore: photoSetup.localStore,
    photoSigningSecret,
    loginThrottle,
    actorCache,
    units,
    fridges,
    people,
    contextFor,
    /** A caller acting as a user, as the web console would after sign-in. */
    async callerFor(userId: number) {
      return createCaller(contextFor(await actorOf(userId)));
    },
    anonymousCaller: () => createCaller(contextFor(null)),
    createCaller: (context: ApiContext) => createCaller(context),
    async destroy() {
      await alarmNotices.close();
      redis.disconnect();
      await database.destroy();
      await rm(photoDirectory, { recursive: true, force: true });
    },
  };
}
export type ApiTestWorld = Awaited<ReturnType<typeof createApiTestWorld>>;

/** The TRPCError a call was refused with (throws if it succeeded or failed otherwise). */
export async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

/**
 * What a client receives for a refused call: the error shape the HTTP handler sends, built by the
 * router's own errorFormatter from the error the caller threw.
 */
export function shapeSentFor(error: TRPCError) {
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: "unknown",
    path: undefined,
    input: undefined,
    ctx: undefined,
  });
}
