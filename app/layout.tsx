import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { TrpcReactProvider } from './_trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: 'Pipewright',
  description: 'Build, run and watch machine-learning pipelines visually.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TrpcReactProvider>{children}</TrpcReactProvider>
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
