import NextAuth from "next-auth";
import { authOptions } from "~/server/auth";
import { withRequestLimits } from "~/server/request-limits";

// Sign-in bodies are read under the same streaming size limit as the API's.
const handler = withRequestLimits(NextAuth(authOptions), { json: false });

export { handler as GET, handler as POST };
