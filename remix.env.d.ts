/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch is on (remix.config.js future.v3_singleFetch): loader/action data types follow turbo-stream
// serialisation (Dates stay Dates) and `data()` results are unwrapped correctly by useLoaderData/useActionData.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
