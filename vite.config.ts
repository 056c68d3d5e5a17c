import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: {
    globalSetup: ['tests/global-setup.ts'],
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts', 'supabase/tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Each file boots its own database or browser; two cores run two at a time.
    fileParallelism: true,
    maxWorkers: 2,
    // supabase-js's realtime client wants a global WebSocket, which Node 20 has behind a flag.
    execArgv: ['--experimental-websocket'],
    reporters: ['default'],
  },
})
